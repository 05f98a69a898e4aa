"""One report through every stage (`extract`, with its section work in `work`, which name each
figure gets in `names`, its head in `meta` and the ledger that accounts for every number found in
`ledger`; `baseline` for the regex-only path), and many reports (`batch`, `ray_batch`,
`ray_workers`, `progress`)."""
