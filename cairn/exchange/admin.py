from django.contrib import admin

from cairn.exchange.models import ContactRequest, Listing


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "category", "organisation", "region", "is_open"]
    list_filter = ["kind", "category", "is_open"]
    search_fields = ["title", "description"]


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    list_display = ["listing", "requested_by", "created_at"]
