"""Form widgets of the admin."""

from django.contrib.admin.widgets import AdminFileWidget


class PickFileWidget(AdminFileWidget):
    """The admin's file input with Vietnamese text: the browser draws its own file input in the
    browser's language ("Choose File", "No file chosen"), so the input is hidden behind a label
    that says "Chọn tệp…" and the name of the chosen file."""

    template_name = "admin/core/widgets/file_input.html"

    class Media:
        js = ["js/file-input.js"]
