from django.contrib import admin

from .models import Event, Registration, Room, Session


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "starts_on", "access")
    search_fields = ("name", "slug")


admin.site.register(Room)
admin.site.register(Session)
admin.site.register(Registration)
