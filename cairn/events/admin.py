from django.contrib import admin

from cairn.events.models import (
    AgendaItem,
    BreakoutGroup,
    BreakoutPreference,
    BreakoutTheme,
    Event,
    Registration,
)


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["speaker"]


class ThemeInline(admin.TabularInline):
    model = BreakoutTheme
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "format", "status", "capacity"]
    list_filter = ["status", "format"]
    search_fields = ["title", "summary", "description"]
    date_hierarchy = "starts_at"
    inlines = [AgendaInline, ThemeInline]


class PreferenceInline(admin.TabularInline):
    model = BreakoutPreference
    extra = 0


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "event", "status", "channel", "created_at"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["person__first_name", "person__last_name", "event__title"]
    autocomplete_fields = ["person"]
    inlines = [PreferenceInline]


@admin.register(BreakoutGroup)
class BreakoutGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "theme", "facilitator", "note_taker"]
    list_filter = ["event", "theme"]
    search_fields = ["name"]
    autocomplete_fields = ["facilitator", "note_taker", "members"]


@admin.register(BreakoutTheme)
class BreakoutThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "room_capacity"]
    list_filter = ["event"]
    search_fields = ["name", "description"]
