/// The board's one stylesheet, served from the binary: phone first (360 px up, large tap
/// targets, text that wraps as Chinese does), a two-column screen for the 说事厅's display,
/// and a print style without menus or forms.
enum BoardStyle {
    static let css = #"""
        *, *::before, *::after { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
               font-size: 17px; line-height: 1.65; color: #1b1b1b; background: #f6f3ee; overflow-wrap: anywhere; }
        a { color: #0b4f9c; }
        a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid #e0a100; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 8px; }
        .skip:focus { left: 8px; z-index: 10; }
        .top { background: #a31515; color: #fff; padding: 10px 16px 0; }
        .brand { margin: 0 0 6px; font-size: 19px; font-weight: bold; }
        .top ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 2px 4px; }
        .top a { display: inline-block; color: #fff; padding: 10px 10px; min-height: 44px; text-decoration: none; }
        .top a:hover, .top a:focus { text-decoration: underline; }
        main { max-width: 960px; margin: 0 auto; padding: 14px 14px 28px; }
        h1 { font-size: 24px; line-height: 1.35; margin: 8px 0 12px; }
        h2 { font-size: 19px; margin: 18px 0 8px; }
        .card { background: #fff; border: 1px solid #e2dcd2; border-radius: 8px; padding: 12px 14px; margin: 12px 0; }
        .muted { color: #5a5a5a; font-size: 15px; }
        .tag { display: inline-block; font-size: 14px; border: 1px solid #a31515; color: #a31515; border-radius: 4px; padding: 0 6px; }
        .tag.late { border-color: #b35c00; color: #b35c00; }
        .figures { display: grid; grid-template-columns: repeat(2, 1fr); gap: 8px; margin: 0; }
        .figures div { background: #faf6f0; border-radius: 6px; padding: 8px; }
        .figures dt { font-size: 14px; color: #5a5a5a; }
        .figures dd { margin: 0; font-size: 22px; font-weight: bold; }
        .items { list-style: none; padding: 0; margin: 0; }
        .items > li { padding: 10px 0; border-bottom: 1px solid #eee6da; }
        .items > li:last-child { border-bottom: 0; }
        .facts { display: grid; grid-template-columns: 6.5em 1fr; gap: 2px 10px; margin: 8px 0; }
        .facts dt { color: #5a5a5a; }
        .facts dd { margin: 0; }
        .facts.small { font-size: 15px; }
        .text { white-space: pre-wrap; }
        .actions { display: flex; flex-wrap: wrap; gap: 10px; }
        .button, button { display: inline-block; background: #a31515; color: #fff; border: 0; border-radius: 6px; padding: 12px 18px;
                          min-height: 48px; font-size: 17px; text-decoration: none; cursor: pointer; }
        .button.secondary { background: #fff; color: #a31515; border: 1px solid #a31515; }
        .field { margin: 0 0 16px; border: 0; padding: 0; }
        label, legend { display: block; font-weight: bold; margin: 6px 0 4px; }
        input, textarea { width: 100%; font: inherit; padding: 10px; border: 1px solid #8a8a8a; border-radius: 6px; background: #fff; min-height: 48px; }
        textarea { min-height: 8em; }
        input[aria-invalid=true], textarea[aria-invalid=true] { border: 2px solid #b00020; }
        .hint { margin: 0 0 4px; color: #5a5a5a; font-size: 15px; }
        .error { color: #b00020; margin: 4px 0 0; font-weight: bold; }
        .error-box { border: 2px solid #b00020; border-radius: 6px; padding: 8px 12px; margin-bottom: 12px; background: #fff5f6; }
        .consent { font-size: 15px; background: #faf6f0; padding: 8px 10px; border-radius: 6px; }
        .trap { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
        .receipt-box { background: #fff; border: 2px solid #2e7d32; border-radius: 8px; padding: 12px 14px; }
        .receipt { font-size: 30px; font-weight: bold; letter-spacing: 0.08em; font-family: monospace; margin: 4px 0; }
        .steps { padding-left: 1.4em; }
        .steps li { margin: 6px 0; }
        .qr-box { display: none; margin: 0; }
        .qr-box svg { width: 160px; height: 160px; }
        .qr-box figcaption { font-size: 14px; color: #5a5a5a; }
        .foot { max-width: 960px; margin: 0 auto; padding: 0 14px 24px; color: #5a5a5a; font-size: 14px; }
        @media (min-width: 760px) {
          body { font-size: 18px; }
          .figures { grid-template-columns: repeat(4, 1fr); }
          .notice { position: relative; }
          .qr-box { display: block; float: right; margin: 0 0 12px 16px; text-align: center; }
        }
        @media print {
          @page { size: A4; margin: 18mm; }
          body { background: #fff; font-size: 13pt; }
          .top nav, .skip, form, .actions, .foot { display: none; }
          .top { background: none; color: #000; padding: 0; }
          .card { border: 0; padding: 0; }
          .qr-box { display: block; float: right; }
          .qr-box svg { width: 32mm; height: 32mm; }
          a { color: #000; text-decoration: none; }
        }
        """#
}
