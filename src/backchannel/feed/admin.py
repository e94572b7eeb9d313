from django.contrib import admin

from .models import Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("id", "author", "session", "created_at", "deleted_at")
    raw_id_fields = ("author", "session", "reply_to", "thread_root")
