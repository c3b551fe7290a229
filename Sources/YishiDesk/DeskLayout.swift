/// The layout every desk page extends, and the form partials pages share. Mustache escapes
/// every `{{value}}`; only `{{{banner}}}` and chart SVG, built by the desk itself from
/// escaped parts, are inserted raw.
enum DeskLayout {
    static let templates: [String: String] = [
        "layout": layout,
        "login": login,
        "message": message,
        "formError": formError,
        "form": form,
    ]

    static let layout = #"""
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{desk.title}} · {{desk.name}}</title>
        <link rel="stylesheet" href="/static/desk.css">
        </head>
        <body>
        <a class="skip" href="#main">跳到正文</a>
        <header class="top">
          <p class="brand">{{desk.name}}</p>
          {{#desk.user}}
          <nav aria-label="主菜单"><ul>
            {{#desk.nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/desk.nav}}
          </ul></nav>
          <form method="post" action="/logout" class="who">
            <input type="hidden" name="_csrf" value="{{desk.csrf}}">
            <span>{{desk.user}}（{{desk.role}}）</span> <button type="submit" class="link">退出</button>
          </form>
          {{/desk.user}}
        </header>
        {{{desk.banner}}}
        <main id="main" tabindex="-1">
        {{#desk.flash}}<p class="flash" role="status">{{desk.flash}}</p>{{/desk.flash}}
        {{$main}}{{/main}}
        </main>
        </body>
        </html>
        """#

    /// `{{>formError}}` inside a form: the refusal that concerns no single field.
    static let formError = #"""
        {{#form.error}}<div class="error-box" role="alert"><p><strong>没有保存：</strong>{{form.error}}</p></div>{{/form.error}}
        """#

    static let login = #"""
        {{<layout}}{{$main}}{{#page}}
        <section class="narrow">
        <h1>登录</h1>
        <p>请用站点管理员为您开设的账号登录。</p>
        <form method="post" action="/login" novalidate>
          <input type="hidden" name="_csrf" value="{{csrf}}">
          <input type="hidden" name="next" value="{{next}}">
          {{>formError}}
          <div class="field">
            <label for="name">姓名</label>
            <input id="name" name="name" value="{{form.values.name}}" autocomplete="username" required autofocus
              {{#form.errors.name}}aria-invalid="true" aria-describedby="name-error"{{/form.errors.name}}>
            {{#form.errors.name}}<p class="error" id="name-error">{{form.errors.name}}</p>{{/form.errors.name}}
          </div>
          <div class="field">
            <label for="password">密码</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required
              {{#form.errors.password}}aria-invalid="true" aria-describedby="password-error"{{/form.errors.password}}>
            {{#form.errors.password}}<p class="error" id="password-error">{{form.errors.password}}</p>{{/form.errors.password}}
          </div>
          <button type="submit">登录</button>
        </form>
        </section>
        {{/page}}{{/main}}{{/layout}}
        """#

    /// A page that only says something: refused, not found, forbidden.
    static let message = #"""
        {{<layout}}{{$main}}{{#page}}
        <section class="narrow">
        <h1>{{heading}}</h1>
        <p role="alert">{{text}}</p>
        <p><a href="{{back}}">返回</a></p>
        </section>
        {{/page}}{{/main}}{{/layout}}
        """#
}
