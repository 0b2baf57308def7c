from django.contrib import admin

from cairn.conversations.models import Follow, Post, Thread


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    raw_id_fields = ["author", "parent", "contribution"]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "theme", "topic", "last_post_at"]
    inlines = [PostInline]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["thread", "person", "digest_sent_until"]
    raw_id_fields = ["person"]
