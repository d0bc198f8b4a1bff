"""action_points pages of the meeting cycle."""

urlpatterns = []
