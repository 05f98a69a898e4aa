"""The number finder: every number of a text by regex, with its span, value, unit and category
(`numbers`, `mention`, `readings`), what identifies rather than measures (`identifiers`), unit
knowledge (`units`), tables written as text (`tables`), and the ledger that accounts for every
number found (`ledger`). The model never finds a number."""
