from django.contrib import admin

from cairn.contributions.models import Contribution


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "channel", "event", "theme", "author", "created_at"]
    list_filter = ["channel", "event", "consent_to_quote", "consent_research"]
    search_fields = ["text", "author_name", "author__first_name", "author__last_name", "source"]
    autocomplete_fields = ["author"]
    raw_id_fields = ["event", "theme", "breakout_group"]
    date_hierarchy = "created_at"
