from mineaction.workplans.views import activities, budget, milestones, plans

app_name = "workplans"
urlpatterns = [
    *plans.urlpatterns,
    *budget.urlpatterns,
    *activities.urlpatterns,
    *milestones.urlpatterns,
]
