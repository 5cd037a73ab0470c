"use strict";
(() => {
  const log = document.getElementById("log");
  const form = document.getElementById("ask");
  const text = document.getElementById("text");
  // The session is the server's HttpOnly cookie: this script never sees or sends an id of its own.
  localStorage.removeItem("bot-session");

  const escape = s => s.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  // Answers hold simple markdown: **bold**, "- " or "1. " lists and links. Escape first, then format.
  function render(markdown) {
    const lines = escape(markdown).split("\n");
    let html = "", list = null;
    for (const raw of lines) {
      const line = raw.replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
        .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
        .replace(/(^|\s)(https?:\/\/[^\s<]+)/g, '$1<a href="$2" target="_blank" rel="noopener">$2</a>');
      const bullet = /^\s*[-+•]\s+(.*)$/.exec(line), numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
      const kind = bullet ? "ul" : numbered ? "ol" : null;
      if (list && kind !== list) { html += `</${list}>`; list = null; }
      if (kind) { if (!list) { html += `<${kind}>`; list = kind; } html += `<li>${(bullet || numbered)[1]}</li>`; }
      else if (line.trim()) html += `<p>${line}</p>`;
    }
    return html + (list ? `</${list}>` : "");
  }

  function bubble(cls, html) {
    const div = document.createElement("div");
    div.className = "msg " + cls;
    div.innerHTML = html;
    log.appendChild(div);
    div.scrollIntoView({ behavior: "smooth", block: "end" });
    return div;
  }

  function chips(parent, items, onClick, cls = "chips") {
    if (!items.length) return;
    const row = document.createElement("div");
    row.className = cls;
    for (const item of items) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = item.label;
      b.addEventListener("click", () => onClick(item, row));
      row.appendChild(b);
    }
    parent.appendChild(row);
  }

  async function ask(question) {
    bubble("me", escape(question));
    const waiting = bubble("bot", "<p>Đang tìm câu trả lời…</p>");
    try {
      const response = await fetch("/api/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: question })
      });
      const data = await response.json();
      if (!response.ok) { waiting.innerHTML = `<p>${escape(data.detail || "Có lỗi, bà con thử lại sau nhé.")}</p>`; return; }
      waiting.innerHTML = render(data.answer || "");
      if (data.citation) waiting.insertAdjacentHTML("beforeend", `<div class="cite">Nguồn: ${escape(data.citation)}</div>`);
      chips(waiting, (data.relatedQuestions || []).map(r => ({ label: r.question })), item => ask(item.label));
      if (data.answered && data.turnId) {
        chips(waiting, [{ label: "👍 Hữu ích", helpful: true }, { label: "👎 Chưa đúng", helpful: false }], async (item, row) => {
          await fetch("/api/feedback", { method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ turnId: data.turnId, helpful: item.helpful }) });
          row.innerHTML = "<span>Cảm ơn bà con đã góp ý!</span>";
        }, "chips feedback");
      }
      waiting.scrollIntoView({ behavior: "smooth", block: "start" });
    } catch {
      waiting.innerHTML = "<p>Không kết nối được máy chủ. Bà con kiểm tra mạng rồi thử lại nhé.</p>";
    }
  }

  form.addEventListener("submit", e => {
    e.preventDefault();
    const q = text.value.trim();
    if (!q) return;
    text.value = "";
    ask(q);
  });
  text.addEventListener("keydown", e => { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); } });

  fetch("/api/chat/welcome").then(r => r.ok ? r.json() : null).then(w => {
    if (!w) return;
    document.getElementById("title").textContent = w.title;
    const greeting = bubble("bot", render(w.greeting));
    chips(greeting, w.topics.map(t => ({ label: t.title, question: t.sample })), item => ask(item.question || item.label));
  }).catch(() => bubble("bot", "<p>Xin chào! Bà con cần hỏi gì về VNeID, dịch vụ công hay thanh toán?</p>"));

  // Staff replies to handed-over questions arrive here.
  async function poll() {
    try {
      const r = await fetch("/api/chat/replies");
      if (r.ok) for (const m of await r.json()) bubble("bot", `<p><strong>Cán bộ xã trả lời:</strong></p>${render(m.text)}`);
    } catch { /* offline: try again later */ }
    setTimeout(poll, 15000);
  }
  setTimeout(poll, 5000);
})();
