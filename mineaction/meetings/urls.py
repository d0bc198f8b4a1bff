from mineaction.meetings.views import (
    action_points,
    agenda,
    attendance,
    invitations,
    meetings,
    minutes,
)

app_name = "meetings"
urlpatterns = [
    *meetings.urlpatterns,
    *agenda.urlpatterns,
    *invitations.urlpatterns,
    *attendance.urlpatterns,
    *minutes.urlpatterns,
    *action_points.urlpatterns,
]
