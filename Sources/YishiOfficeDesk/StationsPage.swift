import Foundation
import Hummingbird
import YishiHTTP
import YishiCentral
import YishiDesk
import YishiMerge
import YishiSync

/// 站点: the stations enrolled at the central — their community, last contact, how many
/// ops wait for them, their clock, which box and key they sync with — and enrolling,
/// replacing a box or revoking one (街道管理员 only). The command line
/// (`yishi central enroll [--new-box]`, `revoke`) keeps working beside it.
struct StationsPage: Sendable {
    struct Row: Sendable {
        var stationID: String
        var community: String
        var lastContact: String
        var lag: Int
        var skew: String
        var revoked: Bool
        /// The box: its replica id, and the boxes it replaced.
        var box: String
        /// The start of the enrolled key, to compare with `yishi key` on the box, and since when.
        var key: String
        var keySince: String
        /// Whether the box signs its ops (YishiTrust), in words; `unsigned` when it does not yet.
        var signing: String
        var unsigned: Bool
    }

    var rows: [Row]
    var hasRows: Bool
    var mayEnroll: Bool
    /// The office's own certificate, when the central serves HTTPS itself.
    var certificate: [Fact]
    var hasCertificate: Bool
    /// The street's public key, which every station pins.
    var streetKey: String
    var unsignedCount: Int
    var hasUnsigned: Bool
    /// Ops of the shared log this process set aside (PostgreSQL only).
    var quarantined: [Fact]
    var hasQuarantined: Bool

    struct Fact: Sendable {
        var factLabel: String
        var factValue: String
    }

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>站点</h1>
        {{#mayEnroll}}<p class="no-print"><a class="button" href="/office/stations/new">登记站点</a></p>{{/mayEnroll}}
        {{#hasRows}}<div class="table-wrap"><table><thead><tr><th scope="col">站点</th><th scope="col">社区</th><th scope="col">上次联系</th>
          <th scope="col">待发给它的修改</th><th scope="col">时钟差</th><th scope="col">设备</th><th scope="col">公钥</th><th scope="col">签名</th><th scope="col">状态</th></tr></thead><tbody>
          {{#rows}}<tr><td>{{stationID}}</td><td>{{community}}</td><td>{{lastContact}}</td><td>{{lag}} 条</td><td>{{skew}}</td>
          <td>{{box}}</td><td><code>{{key}}</code>{{keySince}}</td><td>{{#unsigned}}<strong>{{signing}}</strong>{{/unsigned}}{{^unsigned}}{{signing}}{{/unsigned}}</td>
          <td>{{#revoked}}已停用{{/revoked}}{{^revoked}}正常{{#mayEnroll}} <a href="/office/stations/{{stationID}}/revoke">停用</a>{{/mayEnroll}}{{/revoked}}</td></tr>{{/rows}}
        </tbody></table></div>{{/hasRows}}
        {{^hasRows}}<p>还没有登记站点。</p>{{/hasRows}}
        {{#hasUnsigned}}<p role="note">有 {{unsignedCount}} 台设备还在用旧版本、不签名：它们上传的修改由街道代为签名。请尽快把它们升级到最新版本。</p>{{/hasUnsigned}}
        {{#hasQuarantined}}<section class="card" aria-labelledby="quarantine-h"><h2 id="quarantine-h">隔离的修改</h2>
          <p>这个中心进程的本机副本无法应用数据库里的下列修改，已把它们隔离、其余照常跟随（它们不会出现在页面上）。请技术人员核对来源。</p>
          <dl class="facts">{{#quarantined}}<dt>{{factLabel}}</dt><dd>{{factValue}}</dd>{{/quarantined}}</dl></section>{{/hasQuarantined}}
        <section class="card" aria-labelledby="street-h"><h2 id="street-h">街道公钥</h2>
          <p>每个站点都要保存这把公钥，用来核实本社区的每条修改确是它的来源写的：设置站点时（yishi setup station）填入，或在站点上运行 yishi trust pin 加这把公钥。</p>
          <p><code class="key">{{streetKey}}</code></p></section>
        {{#hasCertificate}}<section class="card" aria-labelledby="cert-h"><h2 id="cert-h">中心证书</h2>
          <dl class="facts">{{#certificate}}<dt>{{factLabel}}</dt><dd>{{factValue}}</dd>{{/certificate}}</dl></section>{{/hasCertificate}}
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension OfficeDesk {
    func addStationRoutes(_ router: Router<YishiRequestContext>) {
        routes.page(router, "office/stations") { request, _, session in
            let lags = try central.lags(of: nil)
            let formerBoxes = try central.formerReplicas()
            let legacy = try central.legacyOrigins()
            let rows = try central.stationList().map { station in
                let former = formerBoxes[station.id] ?? []
                let signing: String = switch legacy[station.replica] {
                case .unsigned: "尚未签名（旧版本）"
                case .through(let last) where last > 0: "已签名（第 \(last) 条以前写于升级前）"
                default: "已签名"
                }
                return StationsPage.Row(
                    stationID: station.id, community: station.community,
                    lastContact: station.lastContact == 0 ? "从未" : WallTime(milliseconds: station.lastContact).beijingMinutes,
                    lag: lags[station.id] ?? 0, skew: String(format: "%.0f 秒", Double(station.skew) / 1000), revoked: station.revoked,
                    box: station.replica + (former.isEmpty ? "" : "（替换了 \(former.joined(separator: "、"))）"),
                    key: String(station.publicKey.prefix(10)) + "…",
                    keySince: station.keySince == 0 ? "" : "，\(WallTime(milliseconds: station.keySince).beijingMinutes) 登记",
                    signing: signing, unsigned: legacy[station.replica] == .unsigned)
            }
            let certificate = tlsCertificate.map { facts in facts.map { StationsPage.Fact(factLabel: $0.0, factValue: $0.1) } } ?? []
            let quarantined = try central.quarantined().map { StationsPage.Fact(factLabel: "\($0.dot)（社区 \($0.scope)）", factValue: $0.reason) }
            return try routes.show("stations", title: "站点", session: session, current: "/office/stations", request: request,
                                   StationsPage(rows: rows, hasRows: !rows.isEmpty, mayEnroll: routes.may(session, .enroll),
                                                certificate: certificate, hasCertificate: !certificate.isEmpty,
                                                streetKey: central.streetPublicKey,
                                                unsignedCount: rows.filter { $0.unsigned && !$0.revoked }.count,
                                                hasUnsigned: rows.contains { $0.unsigned && !$0.revoked },
                                                quarantined: quarantined, hasQuarantined: !quarantined.isEmpty))
        }
        routes.formRoutes(router, "office/stations/new", .enroll, "登记站点", current: "/office/stations") { _, _ in
            FormSpec(
                heading: "登记站点",
                intro: ["在站点的盒子上运行 yishi key，把它打印的公钥完整粘贴到下面。同一站点重新登记会换成新的公钥（旧密钥随即作废），并恢复已停用的站点。",
                        "换了新设备时勾选“更换设备”：新设备用新的副本编号，之后在新设备上再运行一次 yishi init … --from-central 取回本社区的记录。"],
                action: "/office/stations/new", submit: "登记",
                inputs: [
                    .init("station", "站点编号", .text(example: "HL3-01"), required: true),
                    .init("community", "社区编号", .text(example: "HL3"), required: true),
                    .init("key", "站点公钥", hint: "yishi key 打印的一行。", required: true),
                    .init("newBox", "更换设备（旧设备坏了或丢了）", .checkbox),
                ], back: "/office/stations")
        } submit: { fields, _, _ in
            guard let station = fields["station"], ReplicaID.isValid(station) else {
                throw DeskError("站点编号只能用英文字母、数字、点、下划线和连字符，如 HL3-01。", field: "station")
            }
            guard let community = fields["community"], ReplicaID.isValid(community), community != CentralNode.replicaID else {
                throw DeskError("社区编号只能用英文字母、数字、点、下划线和连字符，如 HL3。", field: "community")
            }
            let enrollment: StationRegistry.Enrollment
            do {
                enrollment = try central.enroll(id: station, community: community, publicKey: fields["key"] ?? "",
                                                      newBox: fields["newBox"] != nil)
            } catch let error as SyncSetupError {
                throw DeskError(error.description, field: error.description.contains("更换设备") ? "newBox" : "key")
            }
            let flash = switch enrollment {
            case .new: "已登记站点 \(station)（社区 \(community)）。"
            case .unchanged: "站点 \(station) 已用这把公钥登记过，没有改动。"
            case .keyReplaced: "已为站点 \(station) 登记新公钥，旧密钥从现在起作废。"
            case .newBox(let replica, _): "已为站点 \(station) 登记新设备，副本编号 \(replica)。请在新设备上再运行一次 yishi init … --from-central。"
            }
            return desk.redirect("/office/stations", flash: flash)
        }
        routes.formRoutes(router, "office/stations/:ref/revoke", .enroll, "停用站点", current: "/office/stations") { _, context in
            guard let id = DeskRoutes<OfficePermission>.reference(context), let station = try central.station(id) else { return nil }
            return FormSpec(
                heading: "停用站点 \(station.id)",
                intro: ["停用后，这个站点的同步请求一律拒绝（例如盒子丢失或被盗）。换了新盒子时，重新登记新的公钥即可恢复。"],
                facts: [("站点", station.id), ("社区", station.community)],
                action: "/office/stations/\(station.id)/revoke", submit: "停用", inputs: [], back: "/office/stations", danger: true)
        } submit: { _, _, context in
            let id = DeskRoutes<OfficePermission>.reference(context)!
            try central.revoke(id: id)
            return desk.redirect("/office/stations", flash: "已停用站点 \(id)。")
        }
    }
}
