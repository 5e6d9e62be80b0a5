from __future__ import annotations

from django import forms
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice


class CodeForm(forms.Form):
    """One code from the authenticator app, checked against ``device`` (throttled by it)."""

    code = forms.CharField(
        label="Mã xác thực (6 chữ số)",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().replace(" ", "")
        allowed, extra = self.device.verify_is_allowed()
        if not allowed:
            if (extra or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
                raise forms.ValidationError(
                    "Đã nhập sai %(count)d lần: hãy đợi ít giây rồi nhập mã mới.",
                    params={"count": extra["failure_count"]},
                )
            raise forms.ValidationError("Tạm thời chưa thể kiểm tra mã, hãy thử lại sau.")
        if not self.device.verify_token(code):
            raise forms.ValidationError("Mã xác thực không đúng.")
        return code
