// The PIN page's address holds the link's token: replace this history entry with the form's own
// address, so neither the address bar nor the back button keeps the token while the PIN is typed.
// The form's relative action is made absolute first: it would resolve against the new address.
(function () {
  var form = document.querySelector('form[data-forget-link]');
  if (!form || !window.history || !window.history.replaceState) return;
  form.setAttribute('action', form.action);
  window.history.replaceState(null, '', form.action);
})();
