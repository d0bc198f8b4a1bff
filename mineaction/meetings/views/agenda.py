"""agenda pages of the meeting cycle."""

urlpatterns = []
