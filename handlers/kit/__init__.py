"""What every feature's Slack surface shares; no feature owns it.

- `text`: the one escaping path for text we did not write (and links), mentions, clipping, dates people read.
- `forms`: reading a view's state, private_metadata, field errors, modal and input builders.
- `replies`: private answers, opening modals, redrawing the message a form came from.
- `clock`: the request's `now`, injected into every listener.
- `help`: one command's help.
- `home`: the Home tab frame that features add sections to.
- `threads`: the one `message` listener, and each feature's route for replies in its own threads.
- `shared_ids`: action ids one feature shows and another answers ("Add follow-up", "Log progress", "Make it async").
- `announce`: the channel told of an outcome's turn for the worse, its way back, and its finish.
- `permalinks`: a message's link, for what is made from a message; `insights`: how an insight reads.
"""
