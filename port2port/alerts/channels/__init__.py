"""Ways an alert reaches people: in-app inbox, e-mail, signed webhooks."""
