import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509
import YishiSync

/// The street office's own certificate authority: `yishi central tls init` makes a CA and
/// a server certificate for the office's host names and addresses, so sync is encrypted
/// without buying a certificate or running a proxy. The CA's key signs the server's and
/// stays in the central's `tls/` directory; stations trust `ca.pem` (their `ca_file`).
/// A certificate from a real CA works as well: the central only reads the two files its
/// config names.
public enum CentralCertificates {
    public struct Files: Sendable {
        public var ca: URL
        public var certificate: URL
        public var key: URL
        public var caKey: URL
    }

    public static func files(in directory: URL) -> Files {
        let tls = directory.appendingPathComponent("tls")
        return Files(ca: tls.appendingPathComponent("ca.pem"), certificate: tls.appendingPathComponent("server.pem"),
                     key: tls.appendingPathComponent("server.key"), caKey: tls.appendingPathComponent("ca.key"))
    }

    /// Makes the CA (kept if one is there, so stations already holding `ca.pem` keep
    /// trusting the central) and a new server certificate for `names` (host names, IPv4 or
    /// IPv6 addresses), valid `years` from `now`.
    @discardableResult
    public static func initialize(in directory: URL, names: [String], now: Date = Date(), years: Int = 10) throws -> Files {
        guard !names.isEmpty else { throw SyncSetupError("请至少用一个 --name 给出站点连中心时用的主机名或地址，如 --name yishi.jiedao.local --name 10.0.0.5。") }
        let alternativeNames = try names.map(generalName)
        let files = files(in: directory)
        try FileManager.default.createDirectory(at: files.ca.deletingLastPathComponent(), withIntermediateDirectories: true)
        let validity = (now.addingTimeInterval(-3_600), now.addingTimeInterval(Double(years) * 365.25 * 86_400))

        let caKey: P256.Signing.PrivateKey
        let ca: Certificate
        if FileManager.default.fileExists(atPath: files.caKey.path), FileManager.default.fileExists(atPath: files.ca.path) {
            caKey = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: files.caKey, encoding: .utf8))
            ca = try Certificate(pemEncoded: String(contentsOf: files.ca, encoding: .utf8))
        } else {
            caKey = P256.Signing.PrivateKey()
            // A name of its own: a station given another office's CA must be told "not
            // trusted", which OpenSSL only says when the issuer's name is not found at all.
            let serial = Certificate.SerialNumber()
            let label = serial.bytes.prefix(4).map { String(format: "%02X", $0) }.joined()
            let name = try DistinguishedName { CommonName("Yishi 街道中心 CA \(names[0]) \(label)"); OrganizationName("Yishi") }
            ca = try Certificate(
                version: .v3, serialNumber: serial, publicKey: .init(caKey.publicKey),
                notValidBefore: validity.0, notValidAfter: validity.1.addingTimeInterval(365 * 86_400),
                issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                },
                issuerPrivateKey: .init(caKey))
            try write(caKey.pemRepresentation, to: files.caKey, secret: true)
            try write(ca.serializeAsPEM().pemString, to: files.ca, secret: false)
        }

        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
            notValidBefore: validity.0, notValidAfter: validity.1,
            issuer: ca.subject, subject: try DistinguishedName { CommonName(names[0]); OrganizationName("Yishi") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
            },
            issuerPrivateKey: .init(caKey))
        try write(serverKey.pemRepresentation, to: files.key, secret: true)
        try write(server.serializeAsPEM().pemString, to: files.certificate, secret: false)
        return files
    }

    /// What `tls_certificate` and `tls_key` name, read for the server: a missing or
    /// unreadable file stops the start with the file named.
    public static func serverConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let privateKey: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw SyncSetupError("读不出证书文件 \(certificate)（\(error)）：请检查 tls_certificate，或用 yishi central tls init 重新生成。")
        }
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw SyncSetupError("读不出私钥文件 \(key)（\(error)）：请检查 tls_key，或用 yishi central tls init 重新生成。")
        }
        guard !chain.isEmpty else { throw SyncSetupError("证书文件 \(certificate) 里没有证书。") }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    }

    /// A host name, or an address written as one (`10.0.0.5`, `::1`).
    static func generalName(_ name: String) throws -> GeneralName {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(withUnsafeBytes(of: &v4) { Array($0) })))
        }
        if inet_pton(AF_INET6, name, &v6) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(withUnsafeBytes(of: &v6) { Array($0) })))
        }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.")
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(allowed.contains), !name.hasPrefix("."), !name.hasSuffix(".") else {
            throw SyncSetupError("“\(name)”不是主机名或 IP 地址。主机名只含字母、数字、- 和 .，如 yishi.jiedao.local。")
        }
        return .dnsName(name.lowercased())
    }

    private static func write(_ text: String, to url: URL, secret: Bool) throws {
        try Data(text.utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: secret ? 0o600 : 0o644], ofItemAtPath: url.path)
    }
}

extension CentralCertificates {
    /// What the office desk's 站点 page shows of the certificate the central serves: for
    /// whom, by whom, until when, and the fingerprint to compare with a station's view.
    /// Nil when the file cannot be read as a certificate.
    public static func summary(ofCertificateAt path: String) -> [(String, String)]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let certificate = try? Certificate(pemEncoded: text)
        else { return nil }
        var names: [String] = []
        if let alternatives = try? certificate.extensions.subjectAlternativeNames {
            for name in alternatives {
                switch name {
                case .dnsName(let host): names.append(host)
                case .ipAddress(let bytes): names.append(ipText(Array(bytes.bytes)))
                default: break
                }
            }
        }
        let der = (try? certificate.serializeAsPEM().derBytes) ?? []
        let fingerprint = SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
        let until = certificate.notValidAfter
        let daysLeft = Int(until.timeIntervalSinceNow / 86_400)
        return [
            ("证书文件", path),
            ("适用的地址", names.isEmpty ? "（未写明）" : names.joined(separator: "、")),
            ("签发者", certificate.issuer.description),
            ("有效期至", ISO8601DateFormatter.string(from: until, timeZone: TimeZone(secondsFromGMT: 8 * 3600)!, formatOptions: [.withFullDate])
                + (daysLeft < 0 ? "（已过期）" : daysLeft < 60 ? "（还剩 \(daysLeft) 天，请用 yishi central tls init 换发）" : "")),
            ("SHA-256 指纹", fingerprint),
        ]
    }

    private static func ipText(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: bytes.count, by: 2).map { String(format: "%x", Int(bytes[$0]) << 8 | Int(bytes[$0 + 1])) }.joined(separator: ":")
    }
}
