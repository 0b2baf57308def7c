"""What members tells the apps above it, without knowing them (they may not be imported here).

`person_email_changed` is sent inside the transaction that saves the new address, so a
receiver that refuses it (raises `PersonError`) leaves the person unchanged. Accounts
listens to keep the person's login email the same as the one on their record.

`person_erasing` is sent inside the erasure's transaction before anything changes; a
receiver that refuses it (raises `PersonError`) leaves the person as they were. Accounts
listens so that erasing a record, which closes its login, never takes the network's last
coordinator.
"""

from django.dispatch import Signal

# Sent with person=, old=, new=, actor=.
person_email_changed = Signal()

# Sent with person=, actor=.
person_erasing = Signal()
