"""Conversations that carry on: `threads` (post, reply, follow, staff entry),
`email_replies` (replies by email to the notification address) and `digests`."""
