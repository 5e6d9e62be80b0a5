// core.widgets.PickFileWidget: show the chosen file's name beside the Vietnamese button.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!input.matches || !input.matches(".file-pick input[type=file]")) return;
  const name = input.closest(".file-pick").querySelector(".file-pick-name");
  name.textContent = input.files.length ? input.files[0].name : "Chưa chọn tệp";
});
