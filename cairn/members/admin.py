from django.contrib import admin

from cairn.members.models import Consent, Organisation, Person


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "region"]
    list_filter = ["sector", "region"]
    search_fields = ["name", "topics", "description"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "preferred_channel", "email", "phone"]
    list_filter = ["preferred_channel", "organisation__sector", "region", "visible_in_directory"]
    search_fields = ["first_name", "last_name", "email", "phone", "organisation__name", "postcode"]
    autocomplete_fields = ["organisation", "user"]
    inlines = [ConsentInline]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["person", "purpose", "granted", "method", "recorded_at"]
    list_filter = ["purpose", "granted", "method"]
    search_fields = ["person__first_name", "person__last_name"]
