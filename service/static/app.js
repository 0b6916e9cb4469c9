/* nianbao pages: token handling, uploads with progress, cell evidence. No build step. */
(function () {
  "use strict";
  var KEY = "nianbao_token";

  function token() { try { return localStorage.getItem(KEY) || ""; } catch (e) { return ""; } }
  function setToken(t) {
    try { if (t) { localStorage.setItem(KEY, t); } else { localStorage.removeItem(KEY); } } catch (e) {}
    document.cookie = KEY + "=" + encodeURIComponent(t || "") + "; path=/; SameSite=Strict" + (t ? "" : "; max-age=0");
  }
  function askToken() {
    var t = window.prompt("请输入访问令牌（只保存在本浏览器中）", token());
    if (t !== null) { setToken(t.trim()); }
    return t !== null;
  }
  function headers() {
    var h = {};
    var t = token();
    if (t) { h.Authorization = "Bearer " + t; }
    return h;
  }
  // fetch with the token; on 401 ask for it once and try again.
  function api(url, options, retried) {
    options = options || {};
    options.headers = Object.assign(headers(), options.headers || {});
    return fetch(url, options).then(function (r) {
      if (r.status === 401 && !retried && askToken()) { return api(url, options, true); }
      return r;
    });
  }
  function message(r) {
    return r.json().then(function (b) { return b.message || ("HTTP " + r.status); },
                         function () { return "HTTP " + r.status; });
  }
  if (token()) { setToken(token()); }  // keep the cookie in step for page loads and images

  document.addEventListener("DOMContentLoaded", function () {
    var b = document.getElementById("token-button");
    if (b) { b.addEventListener("click", function () { if (askToken()) { location.reload(); } }); }
  });

  // -- upload ------------------------------------------------------------------------
  var STATES = { queued: "排队中", running: "解析中", done: "完成", failed: "失败" };

  function uploadOne(file, list, template, retried) {
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelector(".name").textContent = file.name;
    var bar = row.querySelector("progress"), state = row.querySelector(".state"), open = row.querySelector(".open");
    list.appendChild(row);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/v1/reports");
    var t = token();
    if (t) { xhr.setRequestHeader("Authorization", "Bearer " + t); }
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { bar.value = Math.round(50 * e.loaded / e.total); state.textContent = "上传中"; }
    };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) {}
      if (xhr.status === 401 && !retried && askToken()) { row.remove(); uploadOne(file, list, template, true); return; }
      if (xhr.status !== 202) {
        row.classList.add("failed"); bar.value = 100;
        state.textContent = "失败：" + (body.message || ("HTTP " + xhr.status)); return;
      }
      bar.value = 50; state.textContent = STATES[body.status] || body.status;
      poll(body.id, row, bar, state, open);
    };
    xhr.onerror = function () { row.classList.add("failed"); state.textContent = "失败：网络错误"; };
    var form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  }

  function poll(id, row, bar, state, open) {
    api("/v1/jobs/" + encodeURIComponent(id)).then(function (r) {
      if (!r.ok) { return message(r).then(function (m) { throw new Error(m); }); }
      return r.json();
    }).then(function (job) {
      bar.value = 50 + Math.round(50 * (job.progress || 0));
      state.textContent = STATES[job.status] || job.status;
      row.dataset.status = job.status;
      if (job.status === "done") {
        bar.value = 100; row.classList.add("done");
        open.href = "/reports/" + job.report_id; open.hidden = false;
      } else if (job.status === "failed") {
        row.classList.add("failed"); state.textContent = "失败：" + (job.message || job.error || "");
      } else {
        setTimeout(function () { poll(id, row, bar, state, open); }, 500);
      }
    }).catch(function (e) { row.classList.add("failed"); state.textContent = "失败：" + e.message; });
  }

  function uploadPage() {
    var drop = document.getElementById("drop"), input = document.getElementById("file-input");
    var list = document.getElementById("uploads"), template = document.getElementById("upload-row");
    function send(files) { Array.prototype.forEach.call(files, function (f) { uploadOne(f, list, template); }); }
    ["dragenter", "dragover"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) { if (e.dataTransfer) { send(e.dataTransfer.files); } });
    input.addEventListener("change", function () { send(input.files); input.value = ""; });
  }

  // -- report ------------------------------------------------------------------------
  function reportPage() {
    var article = document.querySelector("article.report");
    var id = article.dataset.reportId;
    var panel = document.getElementById("evidence");
    var SEV = { error: "错误", warning: "警告", info: "提示" };

    function show(table, key) {
      api("/v1/reports/" + id + "/cells/" + encodeURIComponent(table) + "/" + encodeURIComponent(key))
        .then(function (r) {
          if (!r.ok) { return message(r).then(function (m) { throw new Error(m); }); }
          return r.json();
        }).then(function (ev) { render(ev); })
        .catch(function (e) { render({ ref: table + "." + key, error: e.message }); });
    }
    function render(ev) {
      panel.querySelector(".ev-title").textContent = ev.ref;
      var c = ev.cell || {};
      var value = ev.error ? ev.error :
        "数值：" + (c.value === null || c.value === undefined ? "—" : c.value) +
        (c.raw ? "（原文“" + c.raw + "”）" : "") + (c.origin ? " · 来源 " + c.origin : "") +
        (c.page ? " · 第 " + c.page + " 页" : "");
      panel.querySelector(".ev-value").textContent = value;
      var ul = panel.querySelector(".ev-findings");
      ul.textContent = "";
      (ev.findings || []).forEach(function (f) {
        var li = document.createElement("li");
        li.className = "finding " + f.severity;
        li.textContent = "[" + (SEV[f.severity] || f.severity) + "] " + f.rule + "：" + f.message;
        ul.appendChild(li);
      });
      var img = panel.querySelector(".ev-image"), snip = panel.querySelector(".ev-snippet");
      var none = panel.querySelector(".ev-none");
      img.hidden = true; snip.hidden = true; none.hidden = true;
      if (ev.image) { img.src = ev.image; img.hidden = false; }
      if (ev.snippet) {
        snip.textContent = "";
        snip.appendChild(document.createTextNode(ev.snippet.before));
        var m = document.createElement("mark");
        m.textContent = ev.snippet.text;
        snip.appendChild(m);
        snip.appendChild(document.createTextNode(ev.snippet.after));
        snip.hidden = false;
      }
      if (!ev.image && !ev.snippet && !ev.error) { none.hidden = false; }
      panel.hidden = false;
    }
    article.addEventListener("click", function (e) {
      var td = e.target.closest("td.cell");
      if (td) { show(td.dataset.table, td.dataset.key); return; }
      var ref = e.target.closest(".cell-ref");
      if (ref) {
        var s = ref.dataset.ref, i = s.indexOf(".");
        show(s.slice(0, i), s.slice(i + 1));
      }
    });
    article.addEventListener("keydown", function (e) {
      var td = e.target.closest("td.cell");
      if (td && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); show(td.dataset.table, td.dataset.key); }
    });
    panel.querySelector(".close").addEventListener("click", function () { panel.hidden = true; });
    panel.addEventListener("click", function (e) { if (e.target === panel) { panel.hidden = true; } });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") { panel.hidden = true; } });

    document.getElementById("reparse").addEventListener("click", function () {
      api("/v1/reports/" + id + "/reparse", { method: "POST" }).then(function (r) {
        if (r.status !== 202) { return message(r).then(function (m) { alert("重新解析失败：" + m); }); }
        return r.json().then(function (job) { waitThenReload(job.id); });
      });
    });
    document.getElementById("delete").addEventListener("click", function () {
      if (!confirm("确定删除这份年报及其原始文件？")) { return; }
      api("/v1/reports/" + id, { method: "DELETE" }).then(function (r) {
        if (r.ok) { location.href = "/"; } else { message(r).then(function (m) { alert("删除失败：" + m); }); }
      });
    });
  }

  function waitThenReload(jobId) {
    api("/v1/jobs/" + jobId).then(function (r) { return r.json(); }).then(function (job) {
      if (job.status === "done") { location.reload(); }
      else if (job.status === "failed") { alert("重新解析失败：" + (job.message || job.error)); }
      else { setTimeout(function () { waitThenReload(jobId); }, 500); }
    });
  }

  function loginPage() {
    document.getElementById("login-form").addEventListener("submit", function (e) {
      e.preventDefault();
      setToken(document.getElementById("login-token").value.trim());
      location.reload();
    });
  }

  window.nianbao = { uploadPage: uploadPage, reportPage: reportPage, loginPage: loginPage,
                     setToken: setToken, token: token };
})();
