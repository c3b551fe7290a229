/// The desks' one stylesheet, served from the binary. System fonts only (no web font to
/// fetch offline); 18 px type for a 1366×768 screen read at arm's length; one column on a
/// phone; visible focus for keyboard users; and a print style that leaves only the page.
public enum DeskStyle {
    public static let css = #"""
        :root { --ink: #1a202c; --muted: #4a5568; --line: #cbd5e0; --accent: #2b6cb0; --bad: #b00020;
                --warn: #8a5a00; --good: #276749; --paper: #fff; --shade: #f4f6f8; }
        * { box-sizing: border-box; }
        html { font-size: 18px; }
        body { margin: 0; color: var(--ink); background: var(--shade); line-height: 1.6;
               font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif; }
        a { color: var(--accent); }
        a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus { outline: 3px solid #f6ad55; outline-offset: 2px; }
        .skip { position: absolute; left: -9999px; }
        .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem 1rem; z-index: 10; }
        header.top { background: #1f3b57; color: #fff; display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .4rem 1.2rem; }
        header.top .brand { font-weight: bold; margin: 0; font-size: 1.05rem; }
        header.top nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .2rem; margin: 0; padding: 0; }
        header.top nav a { color: #fff; text-decoration: none; padding: .35rem .7rem; border-radius: 4px; display: inline-block; }
        header.top nav a[aria-current="page"], header.top nav a:hover { background: rgba(255,255,255,.18); }
        header.top .who { margin-left: auto; display: flex; align-items: center; gap: .5rem; }
        button.link { background: none; border: 1px solid rgba(255,255,255,.6); color: #fff; padding: .15rem .7rem; }
        main { max-width: 1240px; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
        main:focus { outline: none; }
        h1 { font-size: 1.6rem; margin: .6rem 0 1rem; }
        h2 { font-size: 1.25rem; margin: 1.6rem 0 .6rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
        h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
        section.card, .card { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1.1rem; margin-bottom: 1rem; }
        .narrow { max-width: 34rem; margin: 2rem auto; background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.5rem 1.5rem; }
        .grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
        table { border-collapse: collapse; width: 100%; background: var(--paper); }
        th, td { border-bottom: 1px solid var(--line); padding: .45rem .6rem; text-align: left; vertical-align: top; }
        th { background: #e9eef3; font-weight: 600; }
        th[scope="row"] { width: 14rem; }
        thead th a { white-space: nowrap; }
        ul.plain { list-style: none; padding: 0; margin: 0; }
        .table-wrap { overflow-x: auto; }
        .field { margin: 0 0 .9rem; }
        .field label, .field legend { display: block; font-weight: 600; margin-bottom: .2rem; }
        .field .hint { color: var(--muted); font-size: .9rem; margin: .1rem 0 .3rem; }
        input[type=text], input:not([type]), input[type=password], input[type=date], input[type=datetime-local], input[type=number], input[type=search], select, textarea {
            font: inherit; width: 100%; max-width: 40rem; padding: .4rem .5rem; border: 1px solid #8a99a8; border-radius: 4px; background: #fff; }
        textarea { min-height: 8rem; }
        textarea.long { min-height: 18rem; max-width: none; }
        input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"] { border: 2px solid var(--bad); }
        fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0 0 .9rem; padding: .5rem .8rem; }
        .choices label { display: inline-block; margin-right: 1.2rem; font-weight: normal; padding: .15rem 0; }
        input[type=radio], input[type=checkbox] { width: 1.15rem; height: 1.15rem; vertical-align: -0.15rem; }
        .card > h2:first-child, .card > dl:first-child { margin-top: .2rem; }
        button, .button { font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: .45rem 1.2rem; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary, .button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
        button.danger { background: var(--bad); }
        .error { color: var(--bad); font-weight: 600; margin: .2rem 0 0; }
        .error::before { content: "⚠ "; }
        .error-box { border: 2px solid var(--bad); background: #fff5f5; padding: .5rem .9rem; border-radius: 4px; margin-bottom: 1rem; }
        .flash { border: 2px solid var(--good); background: #f0fff4; padding: .5rem .9rem; border-radius: 4px; }
        .newer { border: 2px solid var(--warn); background: #fffaf0; padding: .5rem .9rem; border-radius: 4px; }
        .banner { padding: .45rem 1.2rem; display: flex; flex-wrap: wrap; gap: .4rem 1.5rem; align-items: center; border-bottom: 1px solid var(--line); }
        .banner.ok { background: #f0fff4; }
        .banner.offline { background: #fffaf0; }
        .banner form { margin-left: auto; }
        .tag { display: inline-block; border-radius: 3px; padding: 0 .45rem; font-size: .85rem; border: 1px solid var(--line); background: #fff; white-space: nowrap; }
        .tag.late { border-color: var(--bad); color: var(--bad); font-weight: 600; }
        .tag.conflict { border-color: var(--warn); color: var(--warn); font-weight: 600; }
        .muted { color: var(--muted); }
        dl.facts { display: grid; grid-template-columns: 9rem 1fr; gap: .2rem 1rem; margin: 0; }
        dl.facts dt { font-weight: 600; color: var(--muted); }
        dl.facts dd { margin: 0; }
        .filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; }
        .filters .field { margin: 0; }
        .filters select, .filters input { width: auto; min-width: 9rem; }
        .pager { display: flex; gap: 1rem; align-items: center; margin: .8rem 0; }
        .sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .8rem; }
        .side { border: 1px solid var(--warn); border-radius: 4px; padding: .5rem .8rem; background: #fffdf5; }
        .minutes { white-space: pre-wrap; background: #fff; border: 1px solid var(--line); padding: .6rem .8rem; }
        details > summary { cursor: pointer; color: var(--accent); font-weight: 600; margin: .4rem 0; }
        .actions-row { display: flex; flex-wrap: wrap; gap: .6rem; margin: .6rem 0; }
        @media (max-width: 700px) {
            html { font-size: 17px; }
            header.top .who { margin-left: 0; }
            dl.facts { grid-template-columns: 1fr; }
            th, td { padding: .35rem .4rem; }
            .hide-narrow { display: none; }
        }
        @media print {
            header.top, .banner, nav, form, .no-print, .skip { display: none !important; }
            body { background: #fff; }
            main { max-width: none; padding: 0; }
            .card { border: 0; padding: 0; }
            a { color: inherit; text-decoration: none; }
        }
        """#
}
