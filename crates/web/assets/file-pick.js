// Writes the chosen file's name beside a .file-pick input (pages/form.rs::file_input).
// The page works without it: the input is the browser's own, under a Chinese button.
document.addEventListener('change', function (e) {
  var input = e.target;
  if (!input.matches || !input.matches('.file-pick input[type=file]')) return;
  var out = input.parentNode.querySelector('.file-name');
  if (!out) return;
  var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
  out.textContent = names.join('、');
  input.parentNode.classList.toggle('file-chosen', names.length > 0);
});
