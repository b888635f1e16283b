"""What the app does with a quote besides editing it: approvals, sending, the customer's answer,
revisions (:mod:`.quote_actions`), and the count of quotes awaiting the user (:mod:`.approvals`)."""
