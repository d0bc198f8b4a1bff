"""meetings pages of the meeting cycle."""

urlpatterns = []
