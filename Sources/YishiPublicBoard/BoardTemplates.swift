/// The board's templates: phone first (one column at 360 px, large tap targets), no
/// script, nothing fetched from elsewhere, headings and labels for screen readers, and a
/// print stylesheet that drops the menus. Every page extends `board`.
enum BoardTemplates {
    static let all: [String: String] = [
        "board": layout, "boardIndex": index, "boardHome": home, "boardMeeting": meeting, "boardTopic": topic, "boardIdeas": ideas,
        "boardMajor": major, "boardRaise": raise, "boardReceipt": receipt, "boardMessage": message,
    ]

    static let layout = #"""
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{desk.title}} · {{desk.name}}</title>
        <link rel="stylesheet" href="/public/static/board.css">
        </head>
        <body>
        <a class="skip" href="#main">跳到正文</a>
        <header class="top">
          <p class="brand">{{desk.name}}</p>
          {{#page.community}}<nav aria-label="公示栏菜单"><ul>
            <li><a href="/public/{{page.community}}">公示</a></li>
            <li><a href="/public/{{page.community}}/ideas">金点子</a></li>
            <li><a href="/public/{{page.community}}/raise">我要反映</a></li>
            <li><a href="/public/{{page.community}}/receipt">查进度</a></li>
          </ul></nav>{{/page.community}}
        </header>
        <main id="main" tabindex="-1">
        {{$main}}{{/main}}
        </main>
        <footer class="foot"><p>本页内容来自社区议事记录，居民的姓名、电话和门牌号不公开。</p></footer>
        </body>
        </html>
        """#

    static let index = #"""
        {{<board}}{{$main}}{{#page}}
        <h1>社区议事公示栏</h1>
        <p>请选择您所在的社区。</p>
        <ul class="links">{{#communities}}<li><a href="/public/{{id}}">{{name}}</a></li>{{/communities}}</ul>
        {{/page}}{{/main}}{{/board}}
        """#

    static let home = #"""
        {{<board}}{{$main}}{{#page}}
        <h1>{{communityName}} 议事公示栏</h1>
        <section class="card" aria-labelledby="fig-h"><h2 id="fig-h">{{year}} 年</h2>
          <dl class="figures"><div><dt>收集事项</dt><dd>{{raised}} 件</dd></div><div><dt>已办结</dt><dd>{{solved}} 件</dd></div>
          <div><dt>办结率</dt><dd>{{rate}}</dd></div><div><dt>召开协商会议</dt><dd>{{meetingsHeld}} 次</dd></div></dl></section>
        <p class="actions"><a class="button" href="/public/{{community}}/raise">我要反映一件事</a> <a class="button secondary" href="/public/{{community}}/receipt">用回执号查进度</a></p>
        <section class="card" aria-labelledby="up-h"><h2 id="up-h">即将召开的协商会议</h2>
          {{#hasUpcoming}}<ul class="items">{{#upcoming}}<li><a href="/public/{{community}}/meetings/{{meetingRef}}"><strong>{{meetingForm}}</strong> {{meetingWhen}}</a>
            <br><span class="muted">{{meetingPlace}}</span><br>{{meetingTopics}}</li>{{/upcoming}}</ul>
            <p class="muted">与议题有关的居民可在会议公示期间到社区居委会或说事点报名列席。</p>{{/hasUpcoming}}
          {{^hasUpcoming}}<p>近期没有已公示的会议。</p>{{/hasUpcoming}}</section>
        <section class="card" aria-labelledby="res-h"><h2 id="res-h">一年来的议事结果</h2>
          {{#hasResults}}<ul class="items">{{#results}}<li><a href="/public/{{community}}/topics/{{topicRef}}">{{topicTitle}}</a>
            <br><span class="tag">{{topicState}}</span> <span class="muted">{{topicDate}} 登记</span></li>{{/results}}</ul>{{/hasResults}}
          {{^hasResults}}<p>一年来还没有协商过的事项。</p>{{/hasResults}}</section>
        {{#hasMajors}}<section class="card" aria-labelledby="maj-h"><h2 id="maj-h">重大事项公开</h2>
          <ul class="items">{{#majors}}<li><a href="/public/{{community}}/majors/{{topicRef}}">{{topicTitle}}</a><br><span class="tag">{{topicState}}</span></li>{{/majors}}</ul></section>{{/hasMajors}}
        {{/page}}{{/main}}{{/board}}
        """#

    static let meeting = #"""
        {{<board}}{{$main}}{{#page}}
        <article class="notice">
        <h1>协商会议公示</h1>
        <p class="muted">{{communityName}} · 编号 {{reference}} · 公示时间 {{posted}}</p>
        {{#qr}}<figure class="qr-box">{{{qr}}}<figcaption>手机扫码打开本页</figcaption></figure>{{/qr}}
        <dl class="facts">{{#facts}}<dt>{{factLabel}}</dt><dd>{{factValue}}</dd>{{/facts}}</dl>
        {{#urgent}}<h2>紧急情况说明</h2><p>{{urgent}}</p>{{/urgent}}
        <h2>协商议题</h2>
        <ul class="items">{{#topics}}<li>{{#linked}}<a href="/public/{{community}}/topics/{{topicRef}}">{{topicTitle}}</a>{{/linked}}{{^linked}}{{topicTitle}}{{/linked}}
          <br><span class="muted">{{topicRef}} · {{topicCategory}} · {{topicRound}}</span>{{#topicText}}<p class="text">{{topicText}}</p>{{/topicText}}</li>{{/topics}}</ul>
        {{#consultation}}<p>{{consultation}}</p>{{/consultation}}
        <h2>参加人员</h2>
        {{#hasParticipants}}<ul>{{#participants}}<li>{{.}}</li>{{/participants}}</ul>{{/hasParticipants}}
        {{^hasParticipants}}<p>社区协商委员会全体委员；根据议题需要，邀请有关人员列席会议。</p>{{/hasParticipants}}
        <h2>报名列席</h2>
        <p>{{registration}}</p>
        <p class="muted">已报名 {{registered}} 人。</p>
        </article>
        {{/page}}{{/main}}{{/board}}
        """#

    static let topic = #"""
        {{<board}}{{$main}}{{#page}}
        <article class="notice">
        <h1>{{title}}</h1>
        <p><span class="tag">{{state}}</span> <span class="muted">{{reference}}</span></p>
        {{#qr}}<figure class="qr-box">{{{qr}}}<figcaption>手机扫码打开本页</figcaption></figure>{{/qr}}
        <dl class="facts">{{#facts}}<dt>{{factLabel}}</dt><dd>{{factValue}}</dd>{{/facts}}</dl>
        {{#hasText}}<h2>反映的问题</h2><p class="text">{{text}}</p>{{/hasText}}
        {{#hasBefore}}<h2>议题确定</h2><ul>{{#before}}<li>{{.}}</li>{{/before}}</ul>{{/hasBefore}}
        {{#hasRounds}}<h2>协商过程</h2><ul class="items">{{#rounds}}<li><strong>{{roundLabel}}</strong> {{roundMeeting}}<br>{{roundOutcome}}</li>{{/rounds}}</ul>{{/hasRounds}}
        {{#hasAssemblies}}<h2>居民会议</h2><ul>{{#assemblies}}<li>{{.}}</li>{{/assemblies}}</ul>{{/hasAssemblies}}
        {{#hasActions}}<h2>落实情况</h2><ul class="items">{{#actions}}<li>{{#rectification}}<span class="tag">整改</span> {{/rectification}}<strong>{{standard}}</strong>
          <dl class="facts small"><dt>谁来干</dt><dd>{{owner}}</dd><dt>什么时间干完</dt><dd>{{deadline}}</dd><dt>谁来监督</dt><dd>{{supervisor}}</dd>
          <dt>进度</dt><dd>{{actionState}}{{#late}} <span class="tag late">已超期</span>{{/late}}</dd></dl></li>{{/actions}}</ul>{{/hasActions}}
        {{#hasEscalations}}<h2>上报办理</h2><ul>{{#escalations}}<li>{{.}}</li>{{/escalations}}</ul>{{/hasEscalations}}
        {{#hasRatings}}<h2>居民评议</h2><ul class="items">{{#ratings}}<li><strong>{{ratingRound}}</strong> 满意率 {{ratingRate}}<br>{{counts}}<br>{{ratingResult}}</li>{{/ratings}}</ul>{{/hasRatings}}
        <p class="muted">对公示内容有意见的居民，可向社区居委会反映。</p>
        </article>
        {{/page}}{{/main}}{{/board}}
        """#

    static let ideas = #"""
        {{<board}}{{$main}}{{#page}}
        <h1>金点子和好法子</h1>
        <p>居民提出、经社区评定的好建议。提议的居民每条记 {{points}} 分。</p>
        {{#hasIdeas}}<ul class="items">{{#ideas}}<li><span class="tag">{{topicState}}</span> {{topicTitle}}<br><span class="muted">{{topicDate}}</span></li>{{/ideas}}</ul>{{/hasIdeas}}
        {{^hasIdeas}}<p>还没有评定的金点子。</p>{{/hasIdeas}}
        {{/page}}{{/main}}{{/board}}
        """#

    static let major = #"""
        {{<board}}{{$main}}{{#page}}
        <article class="notice">
        <h1>重大事项公开</h1>
        <p><strong>{{title}}</strong> <span class="muted">{{reference}}</span> <span class="tag">{{stage}}</span></p>
        <h2>五议经过</h2>
        <ul class="items">{{#steps}}<li><strong>{{stepName}}</strong> {{stepDate}}<br>{{stepPeople}}<br><span class="muted">{{stepNote}}</span></li>{{/steps}}</ul>
        <h2>一备</h2><p>{{filing}}</p>
        <h2>决议</h2><p class="text">{{resolution}}</p>
        {{#hasOutcome}}<h2>实施结果</h2><p class="text">{{outcome}}</p>{{/hasOutcome}}
        </article>
        {{/page}}{{/main}}{{/board}}
        """#

    static let raise = #"""
        {{<board}}{{$main}}{{#page}}
        <h1>我要反映</h1>
        <p>小区里需要大家商量解决的事，在这里告诉社区。提交后会得到一个回执号，凭它随时查看办理进度。</p>
        <form method="post" action="/public/{{community}}/raise" class="card" novalidate>
          <input type="hidden" name="_csrf" value="{{csrf}}">
          {{#error}}<div class="error-box" role="alert"><p>{{error}}</p></div>{{/error}}
          <div class="field">
            <label for="matter">反映的事项（必填）</label>
            <p class="hint" id="matter-hint">是什么事，希望怎样解决。</p>
            <textarea id="matter" name="matter" required aria-describedby="matter-hint{{#errors.matter}} matter-error{{/errors.matter}}"{{#errors.matter}} aria-invalid="true"{{/errors.matter}}>{{values.matter}}</textarea>
            {{#errors.matter}}<p class="error" id="matter-error">{{errors.matter}}</p>{{/errors.matter}}
          </div>
          <div class="field">
            <label for="place">地点</label>
            <p class="hint" id="place-hint">楼栋或位置，如 3号楼北侧、小区东门。</p>
            <input id="place" name="place" value="{{values.place}}" aria-describedby="place-hint{{#errors.place}} place-error{{/errors.place}}"{{#errors.place}} aria-invalid="true"{{/errors.place}}>
            {{#errors.place}}<p class="error" id="place-error">{{errors.place}}</p>{{/errors.place}}
          </div>
          <fieldset class="field">
            <legend>需要回电时怎么找您（可不填）</legend>
            <label for="name">称呼</label>
            <input id="name" name="name" value="{{values.name}}" autocomplete="name"{{#errors.name}} aria-invalid="true" aria-describedby="name-error"{{/errors.name}}>
            {{#errors.name}}<p class="error" id="name-error">{{errors.name}}</p>{{/errors.name}}
            <label for="phone">电话</label>
            <input id="phone" name="phone" value="{{values.phone}}" inputmode="tel" autocomplete="tel"{{#errors.phone}} aria-invalid="true" aria-describedby="phone-error"{{/errors.phone}}>
            {{#errors.phone}}<p class="error" id="phone-error">{{errors.phone}}</p>{{/errors.phone}}
          </fieldset>
          <p class="consent">您留下的称呼和电话只有本社区的工作人员能看到，只用于回电了解情况，不会出现在公示栏和任何公示上。</p>
          <div class="trap" aria-hidden="true"><label for="website">请勿填写</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
          <button type="submit">提交</button>
        </form>
        {{/page}}{{/main}}{{/board}}
        """#

    static let receipt = #"""
        {{<board}}{{$main}}{{#page}}
        {{#isNew}}<div class="receipt-box" role="status"><h1>已收到，谢谢您</h1>
          <p>您的回执号是</p><p class="receipt">{{code}}</p>
          <p>请记下或截图保存。凭回执号可以随时在“查进度”里查看办理情况。</p></div>{{/isNew}}
        {{^isNew}}<h1>查进度</h1>{{/isNew}}
        {{#hasSteps}}<section class="card" aria-labelledby="prog-h"><h2 id="prog-h">办理进度（回执号 {{code}}）</h2>
          <ol class="steps">{{#steps}}<li><strong>{{stepLabel}}</strong>：{{#stepHref}}<a href="{{stepHref}}">{{stepText}}</a>{{/stepHref}}{{^stepHref}}{{stepText}}{{/stepHref}}</li>{{/steps}}</ol></section>{{/hasSteps}}
        <form method="get" action="/public/{{community}}/receipt" class="card" novalidate>
          <div class="field">
            <label for="code">回执号</label>
            <input id="code" name="code" value="{{typed}}" autocapitalize="characters" autocomplete="off"{{#error}} aria-invalid="true" aria-describedby="code-error"{{/error}}>
            {{#error}}<p class="error" id="code-error">{{error}}</p>{{/error}}
          </div>
          <button type="submit">查询</button>
        </form>
        {{/page}}{{/main}}{{/board}}
        """#

    static let message = #"""
        {{<board}}{{$main}}{{#page}}
        <h1>{{heading}}</h1>
        <p role="alert">{{text}}</p>
        <p><a href="{{back}}">返回</a></p>
        {{/page}}{{/main}}{{/board}}
        """#
}
