"""One report through every stage (`extract`, with its section work in `work` and its head in
`meta`; `baseline` for the regex-only path), and many reports (`batch`, `ray_batch`,
`ray_workers`, `progress`)."""
