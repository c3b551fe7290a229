/// A form described once in Swift and drawn by the one `form` template: every field gets
/// its label, hint, the value the person typed and the message beside it, with the ARIA
/// attributes that tie them together. Desks describe forms; none writes form HTML by hand.
public struct FormSpec: Sendable {
    public struct Choice: Sendable {
        public var value: String
        public var label: String

        public init(_ value: String, _ label: String? = nil) {
            self.value = value
            self.label = label ?? value
        }
    }

    public enum Kind: Sendable {
        /// One line; `example` shows the expected form (`2026-11-25 14:30`).
        case text(example: String? = nil)
        case number
        case password
        case textarea(long: Bool = false)
        case select([Choice])
        case radio([Choice])
        case checkbox
        case hidden
    }

    public struct Input: Sendable {
        public var name: String
        public var label: String
        public var kind: Kind
        public var hint: String?
        public var required: Bool
        /// Filled in when the form is first shown (a person's retyped value wins).
        public var initial: String?

        public init(_ name: String, _ label: String, _ kind: Kind = .text(), hint: String? = nil, required: Bool = false,
                    initial: String? = nil) {
            self.name = name
            self.label = label
            self.kind = kind
            self.hint = hint
            self.required = required
            self.initial = initial
        }
    }

    public var heading: String
    /// Paragraphs before the form: what it does and the rule it follows.
    public var intro: [String]
    /// Label–value pairs about the record the form concerns.
    public var facts: [(String, String)]
    public var action: String
    public var submit: String
    public var inputs: [Input]
    public var back: String
    public var danger: Bool

    public init(heading: String, intro: [String] = [], facts: [(String, String)] = [], action: String, submit: String,
                inputs: [Input], back: String, danger: Bool = false) {
        self.heading = heading
        self.intro = intro
        self.facts = facts
        self.action = action
        self.submit = submit
        self.inputs = inputs
        self.back = back
        self.danger = danger
    }

    /// What the template draws: this form with `state` (typed values, messages) and the token.
    public func view(_ state: FormState, csrf: String) -> FormView {
        FormView(
            heading: heading, intro: intro, facts: facts.map { FormView.Fact(factLabel: $0.0, factValue: $0.1) }, hasFacts: !facts.isEmpty,
            action: action, submit: submit, back: back, csrf: csrf, danger: danger,
            // A message about a field this form does not show (a rule naming `member` on a
            // vote sheet) stands for the whole form rather than vanish.
            formError: ([state.error] + state.errors.filter { error in !inputs.contains { $0.name == error.key } }.map(\.value))
                .compactMap { $0 }.joined(separator: " ").nilIfEmpty,
            // A refused field may be below the fold: the top of the form says so and links to it.
            problems: inputs.enumerated().compactMap { index, input in
                state.errors[input.name].map { FormView.Problem(problemHref: "#f\(index)", problemText: "\(input.label)：\($0)") }
            },
            hasProblems: inputs.contains { state.errors[$0.name] != nil },
            inputs: inputs.enumerated().map { index, input in
                let value = state.values[input.name] ?? input.initial ?? ""
                let error = state.errors[input.name]
                let id = "f\(index)"
                var view = FormView.InputView(
                    fieldID: id, fieldName: input.name, fieldLabel: input.label, fieldHint: input.hint,
                    fieldValue: value, fieldError: error, fieldRequired: input.required,
                    describedBy: [input.hint.map { _ in id + "-hint" }, error.map { _ in id + "-error" }].compactMap { $0 }.joined(separator: " "))
                switch input.kind {
                case .text(let example):
                    view.isLine = true
                    view.inputType = "text"
                    view.example = example
                case .number:
                    view.isLine = true
                    view.inputType = "text"
                    view.numeric = true
                case .password:
                    view.isLine = true
                    view.inputType = "password"
                case .textarea(let long):
                    view.isTextarea = true
                    view.long = long
                case .select(let choices):
                    view.isSelect = true
                    view.options = choices.enumerated().map { FormView.OptionView(optID: "\(id)-\($0.offset)", optValue: $0.element.value, optLabel: $0.element.label, optSelected: $0.element.value == value) }
                case .radio(let choices):
                    view.isRadio = true
                    view.options = choices.enumerated().map { FormView.OptionView(optID: "\(id)-\($0.offset)", optValue: $0.element.value, optLabel: $0.element.label, optSelected: $0.element.value == value) }
                case .checkbox:
                    view.isCheckbox = true
                    view.checked = !value.isEmpty
                case .hidden:
                    view.isHidden = true
                }
                return view
            })
    }
}

/// A form ready for the template. Names are distinct at every level because Mustache looks
/// a missing (nil) name up in the enclosing context.
public struct FormView: Sendable {
    public struct Fact: Sendable {
        var factLabel: String
        var factValue: String
    }

    public struct Problem: Sendable {
        var problemHref: String
        var problemText: String
    }

    public struct OptionView: Sendable {
        var optID: String
        var optValue: String
        var optLabel: String
        var optSelected: Bool
    }

    public struct InputView: Sendable {
        var fieldID: String
        var fieldName: String
        var fieldLabel: String
        var fieldHint: String?
        var fieldValue: String
        var fieldError: String?
        var fieldRequired: Bool
        var describedBy: String
        var isLine = false
        var isTextarea = false
        var isSelect = false
        var isRadio = false
        var isCheckbox = false
        var isHidden = false
        var inputType = "text"
        var example: String?
        var numeric = false
        var long = false
        var checked = false
        var options: [OptionView] = []
    }

    var heading: String
    var intro: [String]
    var facts: [Fact]
    var hasFacts: Bool
    var action: String
    var submit: String
    var back: String
    var csrf: String
    var danger: Bool
    var formError: String?
    var problems: [Problem]
    var hasProblems: Bool
    var inputs: [InputView]
}

extension DeskLayout {
    static let form = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>{{heading}}</h1>
        {{#hasFacts}}<dl class="facts card">{{#facts}}<dt>{{factLabel}}</dt><dd>{{factValue}}</dd>{{/facts}}</dl>{{/hasFacts}}
        {{#intro}}<p>{{.}}</p>{{/intro}}
        <form method="post" action="{{action}}" class="card" novalidate>
          <input type="hidden" name="_csrf" value="{{csrf}}">
          {{#formError}}<div class="error-box" role="alert"><p><strong>没有保存：</strong>{{formError}}</p></div>{{/formError}}
          {{#hasProblems}}<div class="error-box" role="alert"><p><strong>没有保存，请改正下面标出的问题：</strong></p>
            <ul>{{#problems}}<li><a href="{{problemHref}}">{{problemText}}</a></li>{{/problems}}</ul></div>{{/hasProblems}}
          {{#inputs}}
          {{#isHidden}}<input type="hidden" name="{{fieldName}}" value="{{fieldValue}}">{{/isHidden}}
          {{#isLine}}
          <div class="field">
            <label for="{{fieldID}}">{{fieldLabel}}{{#fieldRequired}}（必填）{{/fieldRequired}}</label>
            {{#fieldHint}}<p class="hint" id="{{fieldID}}-hint">{{fieldHint}}</p>{{/fieldHint}}
            <input id="{{fieldID}}" name="{{fieldName}}" type="{{inputType}}" value="{{fieldValue}}"{{#example}} placeholder="{{example}}"{{/example}}{{#numeric}} inputmode="numeric"{{/numeric}}{{#fieldRequired}} required{{/fieldRequired}}{{#describedBy}} aria-describedby="{{describedBy}}"{{/describedBy}}{{#fieldError}} aria-invalid="true"{{/fieldError}}>
            {{#fieldError}}<p class="error" id="{{fieldID}}-error">{{fieldError}}</p>{{/fieldError}}
          </div>
          {{/isLine}}
          {{#isTextarea}}
          <div class="field">
            <label for="{{fieldID}}">{{fieldLabel}}{{#fieldRequired}}（必填）{{/fieldRequired}}</label>
            {{#fieldHint}}<p class="hint" id="{{fieldID}}-hint">{{fieldHint}}</p>{{/fieldHint}}
            <textarea id="{{fieldID}}" name="{{fieldName}}"{{#long}} class="long"{{/long}}{{#describedBy}} aria-describedby="{{describedBy}}"{{/describedBy}}{{#fieldError}} aria-invalid="true"{{/fieldError}}>{{fieldValue}}</textarea>
            {{#fieldError}}<p class="error" id="{{fieldID}}-error">{{fieldError}}</p>{{/fieldError}}
          </div>
          {{/isTextarea}}
          {{#isSelect}}
          <div class="field">
            <label for="{{fieldID}}">{{fieldLabel}}{{#fieldRequired}}（必填）{{/fieldRequired}}</label>
            {{#fieldHint}}<p class="hint" id="{{fieldID}}-hint">{{fieldHint}}</p>{{/fieldHint}}
            <select id="{{fieldID}}" name="{{fieldName}}"{{#describedBy}} aria-describedby="{{describedBy}}"{{/describedBy}}{{#fieldError}} aria-invalid="true"{{/fieldError}}>
              {{#options}}<option value="{{optValue}}"{{#optSelected}} selected{{/optSelected}}>{{optLabel}}</option>{{/options}}
            </select>
            {{#fieldError}}<p class="error" id="{{fieldID}}-error">{{fieldError}}</p>{{/fieldError}}
          </div>
          {{/isSelect}}
          {{#isRadio}}
          <fieldset class="field choices"{{#describedBy}} aria-describedby="{{describedBy}}"{{/describedBy}}>
            <legend>{{fieldLabel}}{{#fieldRequired}}（必填）{{/fieldRequired}}</legend>
            {{#fieldHint}}<p class="hint" id="{{fieldID}}-hint">{{fieldHint}}</p>{{/fieldHint}}
            {{#options}}<label for="{{optID}}"><input type="radio" id="{{optID}}" name="{{fieldName}}" value="{{optValue}}"{{#optSelected}} checked{{/optSelected}}> {{optLabel}}</label>{{/options}}
            {{#fieldError}}<p class="error" id="{{fieldID}}-error">{{fieldError}}</p>{{/fieldError}}
          </fieldset>
          {{/isRadio}}
          {{#isCheckbox}}
          <div class="field">
            <label for="{{fieldID}}"><input type="checkbox" id="{{fieldID}}" name="{{fieldName}}" value="是"{{#checked}} checked{{/checked}}{{#describedBy}} aria-describedby="{{describedBy}}"{{/describedBy}}> {{fieldLabel}}</label>
            {{#fieldHint}}<p class="hint" id="{{fieldID}}-hint">{{fieldHint}}</p>{{/fieldHint}}
            {{#fieldError}}<p class="error" id="{{fieldID}}-error">{{fieldError}}</p>{{/fieldError}}
          </div>
          {{/isCheckbox}}
          {{/inputs}}
          <div class="actions-row"><button type="submit"{{#danger}} class="danger"{{/danger}}>{{submit}}</button> <a class="button secondary" href="{{back}}">返回</a></div>
        </form>
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
