"""invitations pages of the meeting cycle."""

urlpatterns = []
