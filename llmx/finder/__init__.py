"""The number finder: every number of a text by regex, with its span, value, unit and category
(`numbers`, `mention`, `readings`), what identifies or furnishes rather than measures
(`identifiers`, `furniture`), unit knowledge (`units`) and tables written as text (`tables`).
The model never finds a number. The first stage: it imports nothing else of llmx."""
