"""attendance pages of the meeting cycle."""

urlpatterns = []
