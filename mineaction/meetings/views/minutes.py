"""minutes pages of the meeting cycle."""

urlpatterns = []
