from allauth.account.signals import password_reset
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cairn.accounts"
    label = "accounts"
    verbose_name = _("Logins and roles")

    def ready(self) -> None:
        # Local: apps.py is imported before any model may be.
        from cairn.accounts import services
        from cairn.members.signals import person_email_changed, person_erasing

        def _follow(sender: object, *, person, old: str, new: str, actor, **kwargs) -> None:
            services.follow_person_email(person, old=old, new=new, actor=actor)

        # members may not import accounts (it is the floor below): it sends, accounts listens.
        person_email_changed.connect(
            _follow, weak=False, dispatch_uid="accounts.follow_person_email"
        )

        def _reset(sender: object, *, user, **kwargs) -> None:
            services.password_reset_by_link(user)

        # After a reset by emailed link the new password works at once, locked out or not.
        password_reset.connect(_reset, weak=False, dispatch_uid="accounts.password_reset_by_link")

        def _erasing(sender: object, *, person, **kwargs) -> None:
            services.refuse_erasing_last_coordinator(person)

        person_erasing.connect(
            _erasing, weak=False, dispatch_uid="accounts.refuse_erasing_last_coordinator"
        )
