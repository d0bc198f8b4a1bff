"""Forms of the prioritisation rounds: preparing a round, the ballot, and the confirmation of
opening and closing. The pages and the API validate with the same forms."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mineaction.challenges.models import (
    SCORE_MAX,
    SCORE_MIN,
    BallotEntry,
    PrioritisationRound,
    RoundMethod,
)
from mineaction.challenges.services.rounds import CRITERIA, eligible_challenges


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ChallengeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, challenge):
        return str(challenge)


class RoundForm(forms.ModelForm):
    """A new round, or a draft one changed: which challenges, how they are judged and until
    when."""

    challenges = ChallengeChoiceField(
        queryset=eligible_challenges(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Challenges"),
        help_text=_("Open challenges visible to every member; choose at least two."),
    )

    class Meta:
        model = PrioritisationRound
        fields = [
            "title",
            "description",
            "method",
            "weight_impact",
            "weight_urgency",
            "weight_feasibility",
            "challenges",
            "closes_at",
            "priorities_count",
        ]
        field_classes = {"closes_at": forms.DateTimeField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "closes_at": DateTimeLocalInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenges"].queryset = eligible_challenges()
        if self.instance.pk is None:
            # Two weeks is the usual time members are given to vote.
            closes_at = timezone.localtime() + datetime.timedelta(days=14)
            self.initial.setdefault("closes_at", closes_at.replace(second=0, microsecond=0))
        self.fields["closes_at"].help_text = _(
            "Voting ends at this date and time (time zone %(zone)s)."
        ) % {"zone": settings.TIME_ZONE}
        for name in ("weight_impact", "weight_urgency", "weight_feasibility"):
            self.fields[name].help_text = _(
                "Used when members score the challenges; 0 leaves the criterion out."
            )

    def clean_closes_at(self):
        closes_at = self.cleaned_data["closes_at"]
        if closes_at <= timezone.now():
            raise forms.ValidationError(_("The closing time must be in the future."))
        return closes_at

    def clean_challenges(self):
        challenges = self.cleaned_data["challenges"]
        if len(challenges) < 2:
            raise forms.ValidationError(
                _("Choose at least two challenges: a round ranks them against each other.")
            )
        return challenges

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(f"weight_{name}") for name in CRITERIA]
        if cleaned.get("method") == RoundMethod.SCORE and None not in weights and not any(weights):
            self.add_error(None, _("Give at least one of the three criteria a weight above zero."))
        challenges, count = cleaned.get("challenges"), cleaned.get("priorities_count")
        if challenges is not None and count is not None and count > len(challenges):
            self.add_error(
                "priorities_count",
                ngettext(
                    "A round of %(count)s challenge yields at most %(count)s priority.",
                    "A round of %(count)s challenges yields at most %(count)s priorities.",
                    len(challenges),
                )
                % {"count": len(challenges)},
            )
        return cleaned


def score_choices():
    return [("", "—"), *((value, str(value)) for value in range(SCORE_MIN, SCORE_MAX + 1))]


class BallotForm(forms.Form):
    """One organisation's ballot: three scores per challenge (score rounds) or a rank per
    challenge (rank rounds); a challenge left blank is an abstention on it."""

    abstained = forms.BooleanField(
        required=False,
        label=_("Abstain on the whole ballot"),
        help_text=_("Your organisation counts in the turnout but scores no challenge."),
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, prioritisation_round, challenges, **kwargs):
        super().__init__(*args, **kwargs)
        self.prioritisation_round = prioritisation_round
        self.challenges = challenges
        for challenge in challenges:
            for name, label in self.criteria():
                self.fields[self.field_name(name, challenge)] = forms.TypedChoiceField(
                    choices=self.choices(),
                    coerce=int,
                    empty_value=None,
                    required=False,
                    label=_("%(criterion)s for %(challenge)s")
                    % {"criterion": label, "challenge": challenge.reference},
                )

    @property
    def is_ranked(self):
        return self.prioritisation_round.method == RoundMethod.RANK

    def criteria(self):
        if self.is_ranked:
            return [("rank", _("Rank"))]
        return [
            (name, capfirst(BallotEntry._meta.get_field(name).verbose_name)) for name in CRITERIA
        ]

    def choices(self):
        if self.is_ranked:
            count = len(self.challenges)
            return [("", "—"), *((value, str(value)) for value in range(1, count + 1))]
        return score_choices()

    @staticmethod
    def field_name(name, challenge):
        return f"{name}_{challenge.public_id.hex}"

    def rows(self):
        """[(challenge, its bound fields)] for the ballot's table."""
        return [
            (
                challenge,
                [self[self.field_name(name, challenge)] for name, _label in self.criteria()],
            )
            for challenge in self.challenges
        ]

    def entries(self):
        """The cleaned ballot as entries for `ballot_cast`."""
        return [
            {
                "challenge": challenge.public_id,
                **{
                    name: self.cleaned_data.get(self.field_name(name, challenge))
                    for name, _label in self.criteria()
                },
            }
            for challenge in self.challenges
        ]


class ConfirmForm(forms.Form):
    """Opening and closing a round happen only from their confirmation page's button."""

    confirm = forms.BooleanField(
        error_messages={"required": _("Confirm with the button to go ahead.")}
    )
