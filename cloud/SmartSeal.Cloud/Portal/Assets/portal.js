// SmartSeal portal: small vanilla helpers shared by every page.
(function () {
  'use strict';
  // Report the browser's time zone so the server shows times in it (PortalClock).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf('smartseal-tz=' + encodeURIComponent(zone)) < 0) {
      document.cookie = 'smartseal-tz=' + encodeURIComponent(zone) + '; path=/; max-age=31536000; samesite=lax';
    }
  } catch (e) { /* keep the server default */ }

  // Buttons that ask first: data-confirm-dialog="id" opens that <dialog>.
  document.addEventListener('click', function (event) {
    var opener = event.target.closest('[data-confirm-dialog]');
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute('data-confirm-dialog'));
      if (dialog && dialog.showModal) {
        event.preventDefault();
        dialog.showModal();
        var first = dialog.querySelector('input, textarea, select, button');
        if (first) { first.focus(); }
      }
    }
    var closer = event.target.closest('[data-close-dialog]');
    if (closer) {
      event.preventDefault();
      closer.closest('dialog').close();
    }
  });

  // The live event stream (keepers): one EventSource per page, handlers by event name.
  window.smartSealLive = function (handlers, device) {
    if (!window.EventSource) { return null; }
    var url = '/portal/events' + (device ? '?device=' + encodeURIComponent(device) : '');
    var source = new EventSource(url);
    // Says on the page whether live updates flow (for people: the styles; for tests: a wait condition).
    source.addEventListener('open', function () { document.documentElement.setAttribute('data-live', 'open'); });
    source.addEventListener('error', function () { document.documentElement.setAttribute('data-live', 'reconnecting'); });
    Object.keys(handlers).forEach(function (name) {
      source.addEventListener(name, function (e) {
        var data = null;
        try { data = e.data ? JSON.parse(e.data) : null; } catch (err) { data = null; }
        handlers[name](data, e);
      });
    });
    return source;
  };
})();
