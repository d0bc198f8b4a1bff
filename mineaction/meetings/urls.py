from mineaction.meetings.views import (
    action_points,
    agenda,
    attendance,
    distribution,
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
    *distribution.urlpatterns,
    *action_points.urlpatterns,
]
