// vanban pages: small enhancements only. Every page works without this file.
(function () {
  "use strict";

  // Drop a file on the upload zone: put it in the file input and read it at once.
  function setupDropzone(zone) {
    var form = zone.closest("form");
    var input = form.querySelector("input[type=file]");
    var label = zone.querySelector("[data-filename]");
    var error = zone.querySelector("[data-file-error]");
    function show() {
      if (!label || !input.files || !input.files.length) return;
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      label.textContent = names.length > 1 ? names.length + " tệp: " + names.slice(0, 3).join(", ") +
        (names.length > 3 ? "…" : "") : names[0];
    }
    // Files over the limit (one file, or several together) are refused here, before minutes of sending
    // them only to be refused (the server still checks: this is a courtesy).
    function fits() {
      var max = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
      var maxFiles = parseInt(input.getAttribute("data-max-files") || "1", 10);
      var files = input.files || [];
      var total = Array.prototype.reduce.call(files, function (sum, f) { return sum + f.size; }, 0);
      var mb = function (n) { return (n / 1048576).toFixed(1).replace(".", ",") + " MB"; };
      var message = "";
      if (files.length > maxFiles) {
        message = "Mỗi lần tải lên được tối đa " + maxFiles + " tệp; hãy chia thành nhiều lần.";
      } else if (max && total > max) {
        message = (files.length > 1 ? "Tổng dung lượng các tệp quá lớn (" : "Tệp quá lớn (") + mb(total) +
          "); giới hạn là " + mb(max) + (files.length > 1 ? ". Hãy chia thành nhiều lần." :
          ". Hãy tách tài liệu hoặc bỏ bớt ảnh rồi tải lên lại.");
      }
      if (error) error.textContent = message;
      if (!message) return true;
      input.value = "";
      return false;
    }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.remove("over");
      });
    });
    zone.addEventListener("drop", function (event) {
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      input.files = event.dataTransfer.files;
      show();
      if (fits()) submitBusy(form);
    });
    input.addEventListener("change", function () {
      show();
      if (input.files && input.files.length && fits()) submitBusy(form);
    });
  }

  function submitBusy(form) {
    markBusy(form);
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  }

  function markBusy(form) {
    var button = form.querySelector("[data-busy-text]");
    if (button && !button.disabled) {
      button.dataset.label = button.textContent;
      button.textContent = button.dataset.busyText;
      // Disabled after the submit event has gone out, so the button's own value is still sent.
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-dropzone]").forEach(setupDropzone);

    // A pasted text over the limit is refused here, where it stays in the box to be cut (the server refuses it
    // too, and gives it back, as long as the request itself is not over the upload limit).
    document.querySelectorAll("textarea[data-max-chars]").forEach(function (box) {
      box.form.addEventListener("submit", function (event) {
        var max = parseInt(box.getAttribute("data-max-chars") || "0", 10);
        var size = box.value.normalize ? box.value.normalize("NFC").length : box.value.length;
        var error = box.form.querySelector("[data-text-error]");
        if (error) error.textContent = "";
        if (!max || size <= max) return;
        event.preventDefault();
        event.stopImmediatePropagation();  // not marked busy: nothing was sent
        if (error) {
          error.textContent = "Nội dung quá dài (" + size.toLocaleString("vi-VN") + " ký tự; giới hạn là " +
            max.toLocaleString("vi-VN") + "). Hãy chia văn bản thành nhiều phần rồi gửi từng phần.";
        }
      });
    });

    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var question = form.getAttribute("data-confirm");
        if (question && !window.confirm(question)) {
          event.preventDefault();
          return;
        }
        markBusy(form);
      });
    });

    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });

    // On a phone the filters start folded so that the results come first.
    if (window.matchMedia("(max-width: 860px)").matches) {
      document.querySelectorAll("details.filters").forEach(function (d) { d.removeAttribute("open"); });
    }

    // Previous / next place the search's words stand in a document's text (the links work without this).
    // Stepping replaces the page's history entry, so that "back to search" goes back to the results.
    document.querySelectorAll("[data-mark-count]").forEach(function (bar) {
      var count = parseInt(bar.getAttribute("data-mark-count") || "0", 10);
      bar.querySelectorAll("a[href^='#m']").forEach(function (link) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          location.replace(link.getAttribute("href"));
        });
      });
      bar.querySelectorAll("[data-mark-step]").forEach(function (button) {
        if (count < 2) return;
        button.hidden = false;
        button.addEventListener("click", function () {
          var current = /^#m(\d+)$/.exec(location.hash);
          var at = current ? parseInt(current[1], 10) : 0;
          var next = at + parseInt(button.getAttribute("data-mark-step"), 10);
          location.replace("#m" + Math.min(count, Math.max(1, next)));
        });
      });
    });

    // "Back to search" returns to the results the clerk came from when there are any.
    document.querySelectorAll("[data-back]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (document.referrer && new URL(document.referrer).origin === location.origin && history.length > 1) {
          event.preventDefault();
          history.back();
        }
      });
    });
  });
})();
