/// The fixed lists community workers choose from. Values are stored as their Chinese
/// labels: records are public and read by people, not by this program alone.
public enum Vocabulary {
    /// How a matter reached the community (seed 002's channels).
    public static let channels = [
        "说事厅", "说事点", "微信群", "意见箱", "电话/邮箱", "网络平台", "入户走访", "平和茶社", "红马扎", "其他",
    ]

    /// The ten kinds of matters for deliberation (Beijing rules, art. 7).
    public static let categories = [
        "邻里及家庭纠纷", "无障碍设施、电梯、停车、噪音、小广告等", "体育场地、绿地、捐赠点等公共设施",
        "居民公约（养犬、垃圾分类、绿化等）", "居民急难愁盼问题", "老年人、残疾人、青少年等群体互助",
        "惠民实事项目", "需提交居民会议的事项", "社区公益金使用", "各方提出的其他事项",
    ]

    /// 即办件, 待办件, 上报件 (seed 002).
    public static let handlingClasses = ["即办", "待办", "上报"]

    /// Meeting forms from the seeds (001 art. 5-6, 002, 004).
    public static let meetingForms = [
        "社区协商会", "社区决策听证会", "居民议事会", "社区四方会议", "社区社会组织协商会", "网格议事会",
        "楼院理事会", "小区协商会", "楼门说事会", "红板凳议事会", "恳谈会", "评议会", "线上协商",
    ]

    /// The 8 member categories of the "356" committee (seed 000); configurable per community.
    public static let committeeCategories = [
        "社区党组织代表", "社区居民委员会代表", "居务监督委员会代表", "网格员代表", "居民代表", "妇女代表",
        "驻社区单位代表", "社区骨干",
    ]

    public static let ballotChoices = ["同意", "不同意", "弃权"]

    /// 满意 and 基本满意 count as satisfied (seed 002).
    public static let ratings = ["满意", "基本满意", "不满意"]

    public static let escalationLevels = ["街道", "区"]

    public static let ideaMarks = ["金点子", "好法子"]

    /// The category of matters that are disputes (Beijing rules, art. 7, first kind).
    public static let disputeCategory = "邻里及家庭纠纷"

    /// Who a residents' assembly is convened of (城市居民委员会组织法 第十条).
    public static let assemblyBases = ["全体成年居民", "户代表", "居民小组代表"]

    /// 五议 (002): the five steps of a major matter, in the order they must be taken.
    public static let majorSteps = ["党组织提议", "班子商议", "单位联议", "会议审议", "集体决议"]

    /// The author of what residents raise on the residents' board (网络征集平台).
    public static let onlineResident = "居民（网上）"
    public static let onlineChannel = "网络平台"

    /// How a mediation ends (002 创新解事).
    public static let mediationOutcomes = ["化解", "未化解", "转交"]
}
