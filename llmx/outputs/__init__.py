"""What llmx writes: JSONL, CSV and Parquet files with their resume state (`output`), typed
tables (`records`), the review page (`review`) and the cross-report panel (`panel`,
`panel_checks`)."""
