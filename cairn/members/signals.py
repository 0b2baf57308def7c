"""What members tells the apps above it, without knowing them (they may not be imported here).

`person_email_changed` is sent inside the transaction that saves the new address, so a
receiver that refuses it (raises `PersonError`) leaves the person unchanged. Accounts
listens to keep the person's login email the same as the one on their record.
"""

from django.dispatch import Signal

# Sent with person=, old=, new=, actor=.
person_email_changed = Signal()
