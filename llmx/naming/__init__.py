"""Names of figures: what the text around a number says (`context`: clause, kind, period), names
by rule (`rules`, `dependents`), which name each figure gets (`names`), and the cross-check of
every name the model gives (`check`)."""
