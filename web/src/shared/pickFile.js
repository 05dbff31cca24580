// Opens the browser's file chooser and hands the chosen file to `then`.
export function pickFile(accept, then) {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = accept;
  input.addEventListener('change', () => input.files[0] && then(input.files[0]));
  input.click();
}
