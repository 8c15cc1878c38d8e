<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CatalogueScreen</name>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="115"/>
        <source>%1 more points needed</source>
        <translation>还差 %1 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="117"/>
        <source>%1 left</source>
        <translation>剩余 %1 件</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="123"/>
        <source>%1 pts</source>
        <translation>%1 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="130"/>
        <source>Nothing in this category.</source>
        <translation>这一类暂时没有商品。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="134"/>
        <source>Catalogue</source>
        <translation>兑换商城</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <location filename="../../ui/screens/redeem.py" line="106"/>
        <source>Confirm your order</source>
        <translation>确认订单</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="107"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="108"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="116"/>
        <source>This uses %1 points</source>
        <translation>将使用 %1 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="118"/>
        <source>Your balance after: %1 points</source>
        <translation>兑换后余额：%1 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="122"/>
        <source>HR confirms every order; the points are held until then.</source>
        <translation>每笔订单由人事部确认，确认前积分将被冻结。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="124"/>
        <source>The kiosk is offline: your order will be sent when it reconnects.</source>
        <translation>本机目前离线：网络恢复后订单将自动提交。</translation>
    </message>
</context>
<context>
    <name>Countdown</name>
    <message>
        <location filename="../../ui/idle.py" line="122"/>
        <source>No one there? Logging out in %1 s</source>
        <translation>还在吗？%1 秒后自动退出</translation>
    </message>
    <message>
        <location filename="../../ui/idle.py" line="124"/>
        <source>I&apos;m still here</source>
        <translation>我还在</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <location filename="../../ui/screens/redeem.py" line="193"/>
        <source>Back to home</source>
        <translation>返回首页</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="194"/>
        <source>Your order number</source>
        <translation>您的订单号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="202"/>
        <source>Submitted: HR will confirm your order</source>
        <translation>已提交，等待人事部确认</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="204"/>
        <source>Points used: %1</source>
        <translation>使用积分：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="206"/>
        <source>Your balance now: %1 points</source>
        <translation>当前余额：%1 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="211"/>
        <source>The kiosk is offline: your order is saved here and will be sent when it reconnects; HR sees it then.</source>
        <translation>本机目前离线：订单已保存在本机，网络恢复后自动提交，人事部届时即可看到。</translation>
    </message>
</context>
<context>
    <name>EarnScreen</name>
    <message>
        <location filename="../../ui/screens/earn.py" line="34"/>
        <source>How to earn points</source>
        <translation>如何获得积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/earn.py" line="37"/>
        <source>Valid for %1 days</source>
        <translation>有效期 %1 天</translation>
    </message>
    <message>
        <location filename="../../ui/screens/earn.py" line="39"/>
        <source>up to %1 points a %2</source>
        <translation>每%2最多 %1 积分</translation>
    </message>
</context>
<context>
    <name>Enrolment</name>
    <message>
        <location filename="../../ui/enrolment.py" line="74"/>
        <source>Please give a server address (http:// or https://) and the code.</source>
        <translation>请输入服务器地址（http:// 或 https://）和登记码。</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="76"/>
        <source>This code is wrong, expired or already used. Ask IT for a new one.</source>
        <translation>登记码错误、已过期或已使用，请向 IT 申请新的登记码。</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="78"/>
        <source>The server&apos;s certificate is not trusted. Check the address or the CA bundle.</source>
        <translation>服务器证书不受信任，请检查地址或 CA 证书。</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="81"/>
        <source>The server cannot be reached. Check the address and the network.</source>
        <translation>无法连接服务器，请检查地址和网络。</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="82"/>
        <source>The server refused the enrolment.</source>
        <translation>服务器拒绝了登记。</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="85"/>
        <source>Enrolled as %1</source>
        <translation>已登记为 %1</translation>
    </message>
</context>
<context>
    <name>ExpiryScreen</name>
    <message>
        <location filename="../../ui/screens/expiry.py" line="41"/>
        <source>When your points expire</source>
        <translation>积分到期时间</translation>
    </message>
    <message>
        <location filename="../../ui/screens/expiry.py" line="45"/>
        <source>%1 points expire in the next 12 months. Points are used soonest-expiring first when you redeem.</source>
        <translation>未来 12 个月内共有 %1 积分到期。兑换时优先使用最早到期的积分。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/expiry.py" line="53"/>
        <source>%1 pts</source>
        <translation>%1 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/expiry.py" line="60"/>
        <source>None of your points expire in the next 12 months.</source>
        <translation>未来 12 个月内没有积分到期。</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <location filename="../../ui/chrome.py" line="55"/>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="56"/>
        <source>Not me / log out</source>
        <translation>不是我 / 退出</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="57"/>
        <source>Keep this language</source>
        <translation>以后都用中文</translation>
    </message>
</context>
<context>
    <name>HistoryScreen</name>
    <message>
        <location filename="../../ui/screens/history.py" line="76"/>
        <source>balance %1</source>
        <translation>余额 %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="82"/>
        <source>Nothing here yet.</source>
        <translation>暂无记录。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="86"/>
        <source>History</source>
        <translation>积分明细</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="88"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="89"/>
        <source>Earned</source>
        <translation>获得</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="90"/>
        <source>Spent</source>
        <translation>消费</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="91"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <location filename="../../ui/screens/home.py" line="78"/>
        <source>Catalogue</source>
        <translation>兑换商城</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="79"/>
        <source>History</source>
        <translation>积分明细</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="80"/>
        <source>My orders</source>
        <translation>我的订单</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="81"/>
        <source>How to earn</source>
        <translation>如何赚积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="82"/>
        <source>Your points</source>
        <translation>您的积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="99"/>
        <source>None of your points are due to expire</source>
        <translation>您没有即将到期的积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="103"/>
        <source>Next expiry: %1 points on %2 — see all</source>
        <translation>最近到期：%2 到期 %1 积分 — 查看全部</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="91"/>
        <source>%1 points held by orders waiting for HR</source>
        <translation>%1 积分被待审核订单占用</translation>
    </message>
</context>
<context>
    <name>InboxScreen</name>
    <message>
        <location filename="../../ui/screens/inbox.py" line="163"/>
        <source>Since your last visit</source>
        <translation>自您上次来访以来</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="165"/>
        <source>What happened to your orders and points while you were away.</source>
        <translation>您不在时，您的订单和积分有这些变化。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="167"/>
        <source>Got it</source>
        <translation>知道了</translation>
    </message>
</context>
<context>
    <name>ItemScreen</name>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="249"/>
        <source>Redeem</source>
        <translation>立即兑换</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="258"/>
        <source>%1 points each</source>
        <translation>每件 %1 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="265"/>
        <source>Total: %1 points · balance after: %2</source>
        <translation>合计：%1 积分 · 兑换后余额：%2</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="275"/>
        <source>That is as many as you can order now.</source>
        <translation>目前最多只能兑换这么多。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="283"/>
        <source>In stock: %1</source>
        <translation>库存：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="290"/>
        <source>At most %1 per person a %2; you can order %3 more.</source>
        <translation>每人每%2最多 %1 件，您还可兑换 %3 件。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="296"/>
        <source>Orders over %1 points need your PIN: you will be asked for it.</source>
        <translation>超过 %1 积分的订单需要输入密码，稍后会提示您输入。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="298"/>
        <source>Orders over %1 points need your PIN.</source>
        <translation>超过 %1 积分的订单需要输入密码。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="303"/>
        <source>The kiosk is offline: you can spend up to %1 points until it reconnects.</source>
        <translation>本机目前离线：网络恢复前您最多可使用 %1 积分。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="305"/>
        <source>HR confirms every order; the points are held until then.</source>
        <translation>每笔订单由人事部确认，确认前积分将被冻结。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="239"/>
        <source>Sorry, something went wrong. Restarting…</source>
        <translation>抱歉，出了点问题，正在重新启动…</translation>
    </message>
</context>
<context>
    <name>MaintenanceScreen</name>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="61"/>
        <source>Kiosk maintenance</source>
        <translation>终端维护</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="63"/>
        <source>Kiosk name</source>
        <translation>终端名称</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="64"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="65"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="66"/>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="67"/>
        <source>Last sync</source>
        <translation>上次同步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="68"/>
        <source>Orders waiting to be sent</source>
        <translation>待发送订单</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="69"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="75"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="76"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="77"/>
        <source>Disabled by IT</source>
        <translation>已被 IT 停用</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="78"/>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="81"/>
        <source>Not enrolled</source>
        <translation>未登记</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="93"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="94"/>
        <source>Exit full screen</source>
        <translation>退出全屏</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="95"/>
        <source>Enrol again</source>
        <translation>重新登记</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="96"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>MessageRow</name>
    <message>
        <location filename="../../ui/screens/inbox.py" line="67"/>
        <source>Your order was approved</source>
        <translation>您的订单已批准</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="69"/>
        <source>Your order was fulfilled</source>
        <translation>您的订单已发放</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="71"/>
        <source>Your order was rejected; the points came back to you</source>
        <translation>您的订单被拒绝，积分已退回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="73"/>
        <source>Your order was reversed; the points came back to you</source>
        <translation>您的订单已撤销，积分已退回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="75"/>
        <source>You earned points</source>
        <translation>您获得了积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="77"/>
        <source>HR adjusted your points</source>
        <translation>人事调整了您的积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="79"/>
        <source>Points expire soon: redeem them before they do</source>
        <translation>积分即将过期，请尽快兑换</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="80"/>
        <source>News about your points</source>
        <translation>您的积分有新消息</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="90"/>
        <source>Expire on %1</source>
        <translation>%1 过期</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="97"/>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="106"/>
        <source>%1 pts</source>
        <translation>%1 积分</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/texts.py" line="21"/>
        <source>Wrong PIN. Attempts left: %1</source>
        <translation>密码错误，还可尝试 %1 次。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="26"/>
        <source>Too many wrong PINs. Try again in %1 seconds.</source>
        <translation>密码错误次数过多，请 %1 秒后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="30"/>
        <source>This is not a badge we know. Please scan your work badge.</source>
        <translation>无法识别，请扫描您的工牌。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="33"/>
        <source>This badge is not valid here. Please ask HR.</source>
        <translation>此工牌无效，请联系人事部。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="36"/>
        <location filename="../../ui/texts.py" line="109"/>
        <source>This kiosk is not set up yet. Please call IT.</source>
        <translation>本机尚未设置，请联系 IT。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="39"/>
        <source>This badge has been cancelled. Please ask HR for a new one.</source>
        <translation>此工牌已注销，请向人事部申请新工牌。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="42"/>
        <source>This card is not registered. Please ask HR.</source>
        <translation>此卡未登记，请联系人事部。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="45"/>
        <source>We do not know this employee yet. Please try again later or ask HR.</source>
        <translation>暂未找到该员工信息，请稍后再试或联系人事部。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="48"/>
        <location filename="../../ui/texts.py" line="78"/>
        <source>This account is not active. Please ask HR.</source>
        <translation>此账号已停用，请联系人事部。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="51"/>
        <source>No PIN is set for this employee. Please use your badge.</source>
        <translation>该员工未设置密码，请使用工牌。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="54"/>
        <source>A PIN can only be checked while the kiosk is online. Please use your badge.</source>
        <translation>密码只能在联网时核对，请刷工牌。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="65"/>
        <source>You need %1 more points for this.</source>
        <translation>您还差 %1 积分。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="69"/>
        <source>This item is no longer in the catalogue.</source>
        <translation>该商品已下架。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="72"/>
        <source>This item is no longer offered.</source>
        <translation>该商品已停止兑换。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="75"/>
        <source>Please choose a quantity from 1 to 99.</source>
        <translation>请选择 1 到 99 之间的数量。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="82"/>
        <source>Sorry, not enough of this item is left.</source>
        <translation>抱歉，该商品库存不足。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="85"/>
        <source>You have reached the limit for this item in this period.</source>
        <translation>您本期兑换该商品已达上限。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="88"/>
        <source>Please enter your PIN to confirm this order.</source>
        <translation>请输入密码确认此订单。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="91"/>
        <source>This order needs your PIN, and a PIN can only be checked while the kiosk is online.</source>
        <translation>此订单需要输入密码，而密码只能在联网时核对。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="95"/>
        <source>The kiosk is offline: orders above %1 points must wait until it reconnects.</source>
        <translation>本机离线：超过 %1 积分的订单需等网络恢复后再兑换。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="99"/>
        <source>The kiosk is offline: you can spend %1 more points until it reconnects.</source>
        <translation>本机离线：网络恢复前您还可使用 %1 积分。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="102"/>
        <source>The kiosk is offline and has reached its limit. Please try again later.</source>
        <translation>本机离线且已达兑换上限，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="105"/>
        <source>The kiosk has been offline too long to take orders. Please try again later.</source>
        <translation>本机离线时间过长，暂不能兑换，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="112"/>
        <source>This kiosk has been disabled. Please use another one.</source>
        <translation>本机已停用，请使用其他终端。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="115"/>
        <source>This order was not found.</source>
        <translation>未找到该订单。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="116"/>
        <source>This order can no longer be cancelled.</source>
        <translation>该订单已无法取消。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="126"/>
        <source>Queued offline</source>
        <translation>离线排队中</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="128"/>
        <source>Sending</source>
        <translation>提交中</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="131"/>
        <source>Waiting for HR</source>
        <translation>待人事审核</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="132"/>
        <source>Approved</source>
        <translation>已审核</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="133"/>
        <source>Fulfilled</source>
        <translation>已发放</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="134"/>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="135"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="137"/>
        <source>Reversed, points refunded</source>
        <translation>已撤销，积分已退还</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="144"/>
        <source>not enough points</source>
        <translation>积分不足</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="145"/>
        <source>out of stock</source>
        <translation>库存不足</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="146"/>
        <source>limit reached</source>
        <translation>超出兑换限额</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="147"/>
        <source>the price changed</source>
        <translation>价格已变动</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="148"/>
        <source>no longer offered</source>
        <translation>已停止兑换</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="149"/>
        <source>account not active</source>
        <translation>账号已停用</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="150"/>
        <source>the badge or card was not valid</source>
        <translation>工牌或卡片无效</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="153"/>
        <source>this kiosk has reached its limit for now</source>
        <translation>本终端已达兑换上限，请稍后再试</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="162"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="163"/>
        <source>Goods</source>
        <translation>实物</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="164"/>
        <source>Rights</source>
        <translation>权益</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="165"/>
        <source>Services</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="172"/>
        <source>month</source>
        <translation>月</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="173"/>
        <source>quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="174"/>
        <source>year</source>
        <translation>年</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="180"/>
        <source>Earned</source>
        <translation>获得</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="181"/>
        <source>Redeemed</source>
        <translation>兑换</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="182"/>
        <source>Refunded</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="183"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="184"/>
        <source>Adjustment</source>
        <translation>调整</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="191"/>
        <source>Once HR has confirmed it, collect it at the HR counter: show this code there.</source>
        <translation>人事部确认后，请凭此订单号到人事部柜台领取。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="195"/>
        <source>Once HR has confirmed it, HR books it for you: leave days with your team lead, courses and memberships in your name. Keep this code.</source>
        <translation>人事部确认后会为您办理：假期与班组长协商安排，课程和会员以您的名义开通。请保留此订单号。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="200"/>
        <source>Once HR has confirmed it, HR arranges the service with you. Keep this code.</source>
        <translation>人事部确认后会与您联系安排服务。请保留此订单号。</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="206"/>
        <source>HR will tell you when it is ready. Keep this code.</source>
        <translation>办理好后人事部会通知您。请保留此订单号。</translation>
    </message>
</context>
<context>
    <name>OrderRow</name>
    <message>
        <location filename="../../ui/screens/orders.py" line="102"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="105"/>
        <source>%1 pts</source>
        <translation>%1 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="106"/>
        <source>Cancel order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="108"/>
        <source>Your code</source>
        <translation>兑换码</translation>
    </message>
</context>
<context>
    <name>OrdersScreen</name>
    <message>
        <location filename="../../ui/screens/orders.py" line="185"/>
        <location filename="../../ui/screens/orders.py" line="238"/>
        <source>No orders yet.</source>
        <translation>暂无订单。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="233"/>
        <source>Cancel this order? The points come back to you.</source>
        <translation>确定取消此订单？积分将退回给您。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="232"/>
        <source>My orders</source>
        <translation>我的订单</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="193"/>
        <source>Getting your codes…</source>
        <translation>正在获取兑换码…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="195"/>
        <source>Your codes can be seen when the kiosk is online.</source>
        <translation>联网后可查看兑换码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="198"/>
        <source>Your codes cannot be shown: please scan your badge to see them.</source>
        <translation>无法显示兑换码：请刷工牌后查看。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="202"/>
        <source>Your codes cannot be shown now. Please ask HR.</source>
        <translation>暂时无法显示兑换码，请联系人事部。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="234"/>
        <source>Yes, cancel it</source>
        <translation>确定取消</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="235"/>
        <source>No, keep it</source>
        <translation>不取消</translation>
    </message>
</context>
<context>
    <name>PinScreen</name>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="89"/>
        <source>Checking your PIN…</source>
        <translation>正在核对密码…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="120"/>
        <source>Enter your employee number</source>
        <translation>请输入工号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="121"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="123"/>
        <source>Enter your PIN</source>
        <translation>请输入密码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="124"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="125"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SetupScreen</name>
    <message>
        <location filename="../../ui/screens/setup.py" line="139"/>
        <source>Contacting the server…</source>
        <translation>正在连接服务器…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="146"/>
        <source>Set up this kiosk</source>
        <translation>设置本终端</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="149"/>
        <source>Scan the enrolment QR code from IT, or type the server address and the one-time code.</source>
        <translation>请扫描 IT 提供的登记二维码，或输入服务器地址和一次性登记码。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="155"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="155"/>
        <source>Enrolment code</source>
        <translation>登记码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="155"/>
        <source>Kiosk name</source>
        <translation>终端名称</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="159"/>
        <source>Enrol</source>
        <translation>登记</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../ui/chrome.py" line="88"/>
        <location filename="../../ui/chrome.py" line="103"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="90"/>
        <source>This kiosk has been disabled</source>
        <translation>本机已停用</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="95"/>
        <source>Offline since %1</source>
        <translation>%1 起离线</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="97"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="99"/>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="101"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="106"/>
        <source>synced %1</source>
        <translation>%1 已同步</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="114"/>
        <source>Balance: %1 points</source>
        <translation>余额：%1 积分</translation>
    </message>
</context>
<context>
    <name>Visit</name>
    <message>
        <location filename="../../ui/visit.py" line="69"/>
        <source>This is not an enrolment code.</source>
        <translation>这不是登记码。</translation>
    </message>
    <message>
        <location filename="../../ui/visit.py" line="92"/>
        <source>Unknown employee number.</source>
        <translation>找不到该工号。</translation>
    </message>
    <message>
        <location filename="../../ui/visit.py" line="217"/>
        <source>Your next visits will start in this language.</source>
        <translation>以后登录将显示中文。</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../../ui/screens/welcome.py" line="55"/>
        <source>Scan your badge</source>
        <translation>请扫描工牌</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="56"/>
        <source>Hold your badge or card to the reader to see your points.</source>
        <translation>将工牌或卡片靠近读卡器，即可查看积分。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="57"/>
        <source>Use PIN</source>
        <translation>使用密码登录</translation>
    </message>
</context>
</TS>
