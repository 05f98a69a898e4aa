"""Names of figures: what the text around a number says (`context`: clause, kind, period), names
by rule (`rules`, `dependents`), the cross-check of every name the model gives (`check`) and the
gate no name passes that an analyst would refuse (`gate`)."""
