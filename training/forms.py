"""Admin forms of the training app that do more than the model form."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError

from training.models import DispatchDecision, Reimbursement


class ReimbursementForm(forms.ModelForm):
    """The officer gives the dispatch and the leave date; the rule in force when the study
    began, the cost (support paid for the dispatch), the months committed and served, and so
    the amount owed are worked out (``Reimbursement.work_out``), again whenever the dispatch or
    the leave date change. Editing only the decision or the repayment keeps the figures."""

    class Meta:
        model = Reimbursement
        fields = ["dispatch", "left_on", "decision_number", "repaid_on"]

    def clean(self):
        cleaned = super().clean()
        dispatch, left_on = cleaned.get("dispatch"), cleaned.get("left_on")
        changed = {"dispatch", "left_on"} & set(self.changed_data)
        if dispatch and left_on and (self.instance._state.adding or changed):
            self.instance.dispatch, self.instance.left_on = dispatch, left_on
            try:
                self.instance.fill_in()
            except ValidationError as error:
                raise ValidationError({"dispatch": error.messages}) from error
        return cleaned


class DispatchDecisionForm(forms.ModelForm):
    """The decision given when approved candidates are sent to study (the programme is theirs)."""

    class Meta:
        model = DispatchDecision
        fields = [
            "number",
            "issued_on",
            "issuer",
            "signer",
            "signer_title",
            "institution",
            "mode",
            "start_date",
            "end_date",
        ]
        # The admin's own date widget: dd/mm/yyyy whatever the browser's locale (issue 19).
        widgets = {
            "issued_on": AdminDateWidget,
            "start_date": AdminDateWidget,
            "end_date": AdminDateWidget,
        }
