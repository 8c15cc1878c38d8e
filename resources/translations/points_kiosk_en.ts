<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CatalogueScreen</name>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="115"/>
        <source>%1 more points needed</source>
        <translation>%1 more points needed</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="117"/>
        <source>%1 left</source>
        <translation>%1 left</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="123"/>
        <source>%1 pts</source>
        <translation>%1 pts</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="130"/>
        <source>Nothing in this category.</source>
        <translation>Nothing in this category.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="134"/>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <location filename="../../ui/screens/redeem.py" line="106"/>
        <source>Confirm your order</source>
        <translation>Confirm your order</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="107"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="108"/>
        <source>Confirm</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="116"/>
        <source>This uses %1 points</source>
        <translation>This uses %1 points</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="118"/>
        <source>Your balance after: %1 points</source>
        <translation>Your balance after: %1 points</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="122"/>
        <source>HR confirms every order; the points are held until then.</source>
        <translation>HR confirms every order; the points are held until then.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="124"/>
        <source>The kiosk is offline: your order will be sent when it reconnects.</source>
        <translation>The kiosk is offline: your order will be sent when it reconnects.</translation>
    </message>
</context>
<context>
    <name>Countdown</name>
    <message>
        <location filename="../../ui/idle.py" line="122"/>
        <source>No one there? Logging out in %1 s</source>
        <translation>No one there? Logging out in %1 s</translation>
    </message>
    <message>
        <location filename="../../ui/idle.py" line="124"/>
        <source>I&apos;m still here</source>
        <translation>I&apos;m still here</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <location filename="../../ui/screens/redeem.py" line="193"/>
        <source>Back to home</source>
        <translation>Back to home</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="194"/>
        <source>Your order number</source>
        <translation>Your order number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="202"/>
        <source>Submitted: HR will confirm your order</source>
        <translation>Submitted: HR will confirm your order</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="204"/>
        <source>Points used: %1</source>
        <translation>Points used: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="206"/>
        <source>Your balance now: %1 points</source>
        <translation>Your balance now: %1 points</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="211"/>
        <source>The kiosk is offline: your order is saved here and will be sent when it reconnects; HR sees it then.</source>
        <translation>The kiosk is offline: your order is saved here and will be sent when it reconnects; HR sees it then.</translation>
    </message>
</context>
<context>
    <name>EarnScreen</name>
    <message>
        <location filename="../../ui/screens/earn.py" line="34"/>
        <source>How to earn points</source>
        <translation>How to earn points</translation>
    </message>
    <message>
        <location filename="../../ui/screens/earn.py" line="37"/>
        <source>Valid for %1 days</source>
        <translation>Valid for %1 days</translation>
    </message>
    <message>
        <location filename="../../ui/screens/earn.py" line="39"/>
        <source>up to %1 points a %2</source>
        <translation>up to %1 points a %2</translation>
    </message>
</context>
<context>
    <name>Enrolment</name>
    <message>
        <location filename="../../ui/enrolment.py" line="74"/>
        <source>Please give a server address (http:// or https://) and the code.</source>
        <translation>Please give a server address (http:// or https://) and the code.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="76"/>
        <source>This code is wrong, expired or already used. Ask IT for a new one.</source>
        <translation>This code is wrong, expired or already used. Ask IT for a new one.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="78"/>
        <source>The server&apos;s certificate is not trusted. Check the address or the CA bundle.</source>
        <translation>The server&apos;s certificate is not trusted. Check the address or the CA bundle.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="81"/>
        <source>The server cannot be reached. Check the address and the network.</source>
        <translation>The server cannot be reached. Check the address and the network.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="82"/>
        <source>The server refused the enrolment.</source>
        <translation>The server refused the enrolment.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="85"/>
        <source>Enrolled as %1</source>
        <translation>Enrolled as %1</translation>
    </message>
</context>
<context>
    <name>ExpiryScreen</name>
    <message>
        <location filename="../../ui/screens/expiry.py" line="41"/>
        <source>When your points expire</source>
        <translation>When your points expire</translation>
    </message>
    <message>
        <location filename="../../ui/screens/expiry.py" line="45"/>
        <source>%1 points expire in the next 12 months. Points are used soonest-expiring first when you redeem.</source>
        <translation>%1 points expire in the next 12 months. Points are used soonest-expiring first when you redeem.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/expiry.py" line="53"/>
        <source>%1 pts</source>
        <translation>%1 pts</translation>
    </message>
    <message>
        <location filename="../../ui/screens/expiry.py" line="60"/>
        <source>None of your points expire in the next 12 months.</source>
        <translation>None of your points expire in the next 12 months.</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <location filename="../../ui/chrome.py" line="55"/>
        <source>Home</source>
        <translation>Home</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="56"/>
        <source>Not me / log out</source>
        <translation>Not me / log out</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="57"/>
        <source>Keep this language</source>
        <translation>Always English</translation>
    </message>
</context>
<context>
    <name>HistoryScreen</name>
    <message>
        <location filename="../../ui/screens/history.py" line="76"/>
        <source>balance %1</source>
        <translation>balance %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="82"/>
        <source>Nothing here yet.</source>
        <translation>Nothing here yet.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="86"/>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="88"/>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="89"/>
        <source>Earned</source>
        <translation>Earned</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="90"/>
        <source>Spent</source>
        <translation>Spent</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="91"/>
        <source>Expired</source>
        <translation>Expired</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <location filename="../../ui/screens/home.py" line="78"/>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="79"/>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="80"/>
        <source>My orders</source>
        <translation>My orders</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="81"/>
        <source>How to earn</source>
        <translation>How to earn</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="82"/>
        <source>Your points</source>
        <translation>Your points</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="99"/>
        <source>None of your points are due to expire</source>
        <translation>None of your points are due to expire</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="103"/>
        <source>Next expiry: %1 points on %2 — see all</source>
        <translation>Next expiry: %1 points on %2 — see all</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="91"/>
        <source>%1 points held by orders waiting for HR</source>
        <translation>%1 points held by orders waiting for HR</translation>
    </message>
</context>
<context>
    <name>InboxScreen</name>
    <message>
        <location filename="../../ui/screens/inbox.py" line="163"/>
        <source>Since your last visit</source>
        <translation>Since your last visit</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="165"/>
        <source>What happened to your orders and points while you were away.</source>
        <translation>What happened to your orders and points while you were away.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="167"/>
        <source>Got it</source>
        <translation>Got it</translation>
    </message>
</context>
<context>
    <name>ItemScreen</name>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="249"/>
        <source>Redeem</source>
        <translation>Redeem</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="258"/>
        <source>%1 points each</source>
        <translation>%1 points each</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="265"/>
        <source>Total: %1 points · balance after: %2</source>
        <translation>Total: %1 points · balance after: %2</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="275"/>
        <source>That is as many as you can order now.</source>
        <translation>That is as many as you can order now.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="283"/>
        <source>In stock: %1</source>
        <translation>In stock: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="290"/>
        <source>At most %1 per person a %2; you can order %3 more.</source>
        <translation>At most %1 per person a %2; you can order %3 more.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="296"/>
        <source>Orders over %1 points need your PIN: you will be asked for it.</source>
        <translation>Orders over %1 points need your PIN: you will be asked for it.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="298"/>
        <source>Orders over %1 points need your PIN.</source>
        <translation>Orders over %1 points need your PIN.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="303"/>
        <source>The kiosk is offline: you can spend up to %1 points until it reconnects.</source>
        <translation>The kiosk is offline: you can spend up to %1 points until it reconnects.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="305"/>
        <source>HR confirms every order; the points are held until then.</source>
        <translation>HR confirms every order; the points are held until then.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="239"/>
        <source>Sorry, something went wrong. Restarting…</source>
        <translation>Sorry, something went wrong. Restarting…</translation>
    </message>
</context>
<context>
    <name>MaintenanceScreen</name>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="61"/>
        <source>Kiosk maintenance</source>
        <translation>Kiosk maintenance</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="63"/>
        <source>Kiosk name</source>
        <translation>Kiosk name</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="64"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="65"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="66"/>
        <source>Connection</source>
        <translation>Connection</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="67"/>
        <source>Last sync</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="68"/>
        <source>Orders waiting to be sent</source>
        <translation>Orders waiting to be sent</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="69"/>
        <source>Last error</source>
        <translation>Last error</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="75"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="76"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="77"/>
        <source>Disabled by IT</source>
        <translation>Disabled by IT</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="78"/>
        <source>Not synced yet</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="81"/>
        <source>Not enrolled</source>
        <translation>Not enrolled</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="93"/>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="94"/>
        <source>Exit full screen</source>
        <translation>Exit full screen</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="95"/>
        <source>Enrol again</source>
        <translation>Enrol again</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="96"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>MessageRow</name>
    <message>
        <location filename="../../ui/screens/inbox.py" line="67"/>
        <source>Your order was approved</source>
        <translation>Your order was approved</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="69"/>
        <source>Your order was fulfilled</source>
        <translation>Your order was fulfilled</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="71"/>
        <source>Your order was rejected; the points came back to you</source>
        <translation>Your order was rejected; the points came back to you</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="73"/>
        <source>Your order was reversed; the points came back to you</source>
        <translation>Your order was reversed; the points came back to you</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="75"/>
        <source>You earned points</source>
        <translation>You earned points</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="77"/>
        <source>HR adjusted your points</source>
        <translation>HR adjusted your points</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="79"/>
        <source>Points expire soon: redeem them before they do</source>
        <translation>Points expire soon: redeem them before they do</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="80"/>
        <source>News about your points</source>
        <translation>News about your points</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="90"/>
        <source>Expire on %1</source>
        <translation>Expire on %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="97"/>
        <source>Reason: %1</source>
        <translation>Reason: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/inbox.py" line="106"/>
        <source>%1 pts</source>
        <translation>%1 pts</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/texts.py" line="21"/>
        <source>Wrong PIN. Attempts left: %1</source>
        <translation>Wrong PIN. Attempts left: %1</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="26"/>
        <source>Too many wrong PINs. Try again in %1 seconds.</source>
        <translation>Too many wrong PINs. Try again in %1 seconds.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="30"/>
        <source>This is not a badge we know. Please scan your work badge.</source>
        <translation>This is not a badge we know. Please scan your work badge.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="33"/>
        <source>This badge is not valid here. Please ask HR.</source>
        <translation>This badge is not valid here. Please ask HR.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="36"/>
        <location filename="../../ui/texts.py" line="109"/>
        <source>This kiosk is not set up yet. Please call IT.</source>
        <translation>This kiosk is not set up yet. Please call IT.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="39"/>
        <source>This badge has been cancelled. Please ask HR for a new one.</source>
        <translation>This badge has been cancelled. Please ask HR for a new one.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="42"/>
        <source>This card is not registered. Please ask HR.</source>
        <translation>This card is not registered. Please ask HR.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="45"/>
        <source>We do not know this employee yet. Please try again later or ask HR.</source>
        <translation>We do not know this employee yet. Please try again later or ask HR.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="48"/>
        <location filename="../../ui/texts.py" line="78"/>
        <source>This account is not active. Please ask HR.</source>
        <translation>This account is not active. Please ask HR.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="51"/>
        <source>No PIN is set for this employee. Please use your badge.</source>
        <translation>No PIN is set for this employee. Please use your badge.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="54"/>
        <source>A PIN can only be checked while the kiosk is online. Please use your badge.</source>
        <translation>A PIN can only be checked while the kiosk is online. Please use your badge.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="65"/>
        <source>You need %1 more points for this.</source>
        <translation>You need %1 more points for this.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="69"/>
        <source>This item is no longer in the catalogue.</source>
        <translation>This item is no longer in the catalogue.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="72"/>
        <source>This item is no longer offered.</source>
        <translation>This item is no longer offered.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="75"/>
        <source>Please choose a quantity from 1 to 99.</source>
        <translation>Please choose a quantity from 1 to 99.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="82"/>
        <source>Sorry, not enough of this item is left.</source>
        <translation>Sorry, not enough of this item is left.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="85"/>
        <source>You have reached the limit for this item in this period.</source>
        <translation>You have reached the limit for this item in this period.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="88"/>
        <source>Please enter your PIN to confirm this order.</source>
        <translation>Please enter your PIN to confirm this order.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="91"/>
        <source>This order needs your PIN, and a PIN can only be checked while the kiosk is online.</source>
        <translation>This order needs your PIN, and a PIN can only be checked while the kiosk is online.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="95"/>
        <source>The kiosk is offline: orders above %1 points must wait until it reconnects.</source>
        <translation>The kiosk is offline: orders above %1 points must wait until it reconnects.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="99"/>
        <source>The kiosk is offline: you can spend %1 more points until it reconnects.</source>
        <translation>The kiosk is offline: you can spend %1 more points until it reconnects.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="102"/>
        <source>The kiosk is offline and has reached its limit. Please try again later.</source>
        <translation>The kiosk is offline and has reached its limit. Please try again later.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="105"/>
        <source>The kiosk has been offline too long to take orders. Please try again later.</source>
        <translation>The kiosk has been offline too long to take orders. Please try again later.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="112"/>
        <source>This kiosk has been disabled. Please use another one.</source>
        <translation>This kiosk has been disabled. Please use another one.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="115"/>
        <source>This order was not found.</source>
        <translation>This order was not found.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="116"/>
        <source>This order can no longer be cancelled.</source>
        <translation>This order can no longer be cancelled.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="126"/>
        <source>Queued offline</source>
        <translation>Queued offline</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="128"/>
        <source>Sending</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="131"/>
        <source>Waiting for HR</source>
        <translation>Waiting for HR</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="132"/>
        <source>Approved</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="133"/>
        <source>Fulfilled</source>
        <translation>Fulfilled</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="134"/>
        <source>Rejected</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="135"/>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="137"/>
        <source>Reversed, points refunded</source>
        <translation>Reversed, points refunded</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="144"/>
        <source>not enough points</source>
        <translation>not enough points</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="145"/>
        <source>out of stock</source>
        <translation>out of stock</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="146"/>
        <source>limit reached</source>
        <translation>limit reached</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="147"/>
        <source>the price changed</source>
        <translation>the price changed</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="148"/>
        <source>no longer offered</source>
        <translation>no longer offered</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="149"/>
        <source>account not active</source>
        <translation>account not active</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="150"/>
        <source>the badge or card was not valid</source>
        <translation>the badge or card was not valid</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="153"/>
        <source>this kiosk has reached its limit for now</source>
        <translation>this kiosk has reached its limit for now</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="162"/>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="163"/>
        <source>Goods</source>
        <translation>Goods</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="164"/>
        <source>Rights</source>
        <translation>Rights</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="165"/>
        <source>Services</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="172"/>
        <source>month</source>
        <translation>month</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="173"/>
        <source>quarter</source>
        <translation>quarter</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="174"/>
        <source>year</source>
        <translation>year</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="180"/>
        <source>Earned</source>
        <translation>Earned</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="181"/>
        <source>Redeemed</source>
        <translation>Redeemed</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="182"/>
        <source>Refunded</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="183"/>
        <source>Expired</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="184"/>
        <source>Adjustment</source>
        <translation>Adjustment</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="191"/>
        <source>Once HR has confirmed it, collect it at the HR counter: show this code there.</source>
        <translation>Once HR has confirmed it, collect it at the HR counter: show this code there.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="195"/>
        <source>Once HR has confirmed it, HR books it for you: leave days with your team lead, courses and memberships in your name. Keep this code.</source>
        <translation>Once HR has confirmed it, HR books it for you: leave days with your team lead, courses and memberships in your name. Keep this code.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="200"/>
        <source>Once HR has confirmed it, HR arranges the service with you. Keep this code.</source>
        <translation>Once HR has confirmed it, HR arranges the service with you. Keep this code.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="206"/>
        <source>HR will tell you when it is ready. Keep this code.</source>
        <translation>HR will tell you when it is ready. Keep this code.</translation>
    </message>
</context>
<context>
    <name>OrderRow</name>
    <message>
        <location filename="../../ui/screens/orders.py" line="102"/>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="105"/>
        <source>%1 pts</source>
        <translation>%1 pts</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="106"/>
        <source>Cancel order</source>
        <translation>Cancel order</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="108"/>
        <source>Your code</source>
        <translation>Your code</translation>
    </message>
</context>
<context>
    <name>OrdersScreen</name>
    <message>
        <location filename="../../ui/screens/orders.py" line="185"/>
        <location filename="../../ui/screens/orders.py" line="238"/>
        <source>No orders yet.</source>
        <translation>No orders yet.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="233"/>
        <source>Cancel this order? The points come back to you.</source>
        <translation>Cancel this order? The points come back to you.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="232"/>
        <source>My orders</source>
        <translation>My orders</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="193"/>
        <source>Getting your codes…</source>
        <translation>Getting your codes…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="195"/>
        <source>Your codes can be seen when the kiosk is online.</source>
        <translation>Your codes can be seen when the kiosk is online.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="198"/>
        <source>Your codes cannot be shown: please scan your badge to see them.</source>
        <translation>Your codes cannot be shown: please scan your badge to see them.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="202"/>
        <source>Your codes cannot be shown now. Please ask HR.</source>
        <translation>Your codes cannot be shown now. Please ask HR.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="234"/>
        <source>Yes, cancel it</source>
        <translation>Yes, cancel it</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="235"/>
        <source>No, keep it</source>
        <translation>No, keep it</translation>
    </message>
</context>
<context>
    <name>PinScreen</name>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="89"/>
        <source>Checking your PIN…</source>
        <translation>Checking your PIN…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="120"/>
        <source>Enter your employee number</source>
        <translation>Enter your employee number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="121"/>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="123"/>
        <source>Enter your PIN</source>
        <translation>Enter your PIN</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="124"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="125"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SetupScreen</name>
    <message>
        <location filename="../../ui/screens/setup.py" line="139"/>
        <source>Contacting the server…</source>
        <translation>Contacting the server…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="146"/>
        <source>Set up this kiosk</source>
        <translation>Set up this kiosk</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="149"/>
        <source>Scan the enrolment QR code from IT, or type the server address and the one-time code.</source>
        <translation>Scan the enrolment QR code from IT, or type the server address and the one-time code.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="155"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="155"/>
        <source>Enrolment code</source>
        <translation>Enrolment code</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="155"/>
        <source>Kiosk name</source>
        <translation>Kiosk name</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="159"/>
        <source>Enrol</source>
        <translation>Enrol</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../ui/chrome.py" line="88"/>
        <location filename="../../ui/chrome.py" line="103"/>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="90"/>
        <source>This kiosk has been disabled</source>
        <translation>This kiosk has been disabled</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="95"/>
        <source>Offline since %1</source>
        <translation>Offline since %1</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="97"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="99"/>
        <source>Syncing…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="101"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="106"/>
        <source>synced %1</source>
        <translation>synced %1</translation>
    </message>
    <message>
        <location filename="../../ui/chrome.py" line="114"/>
        <source>Balance: %1 points</source>
        <translation>Balance: %1 points</translation>
    </message>
</context>
<context>
    <name>Visit</name>
    <message>
        <location filename="../../ui/visit.py" line="69"/>
        <source>This is not an enrolment code.</source>
        <translation>This is not an enrolment code.</translation>
    </message>
    <message>
        <location filename="../../ui/visit.py" line="92"/>
        <source>Unknown employee number.</source>
        <translation>Unknown employee number.</translation>
    </message>
    <message>
        <location filename="../../ui/visit.py" line="217"/>
        <source>Your next visits will start in this language.</source>
        <translation>Your next visits will start in English.</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../../ui/screens/welcome.py" line="55"/>
        <source>Scan your badge</source>
        <translation>Scan your badge</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="56"/>
        <source>Hold your badge or card to the reader to see your points.</source>
        <translation>Hold your badge or card to the reader to see your points.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="57"/>
        <source>Use PIN</source>
        <translation>Use PIN</translation>
    </message>
</context>
</TS>
