<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CatalogueScreen</name>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="75"/>
        <source>%1 more points needed</source>
        <translation>%1 more points needed</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="77"/>
        <source>%1 left</source>
        <translation>%1 left</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="83"/>
        <source>%1 pts</source>
        <translation>%1 pts</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="92"/>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <location filename="../../ui/screens/redeem.py" line="81"/>
        <source>%1
This uses %2 points. Balance after: %3. Confirm?</source>
        <translation>%1
This uses %2 points. Balance after: %3. Confirm?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="86"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="87"/>
        <source>Confirm</source>
        <translation>Confirm</translation>
    </message>
</context>
<context>
    <name>Countdown</name>
    <message>
        <location filename="../../ui/idle.py" line="113"/>
        <source>No one there? Logging out in %1 s</source>
        <translation>No one there? Logging out in %1 s</translation>
    </message>
    <message>
        <location filename="../../ui/idle.py" line="115"/>
        <source>I&apos;m still here</source>
        <translation>I&apos;m still here</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <location filename="../../ui/screens/redeem.py" line="117"/>
        <source>Done! Your order number:</source>
        <translation>Done! Your order number:</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="118"/>
        <source>Back to home</source>
        <translation>Back to home</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="124"/>
        <source>HR will confirm your order. Show this code at the HR counter to collect it.</source>
        <translation>HR will confirm your order. Show this code at the HR counter to collect it.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="128"/>
        <source>The kiosk is offline: your order will be sent when it reconnects.</source>
        <translation>The kiosk is offline: your order will be sent when it reconnects.</translation>
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
    <name>HistoryScreen</name>
    <message>
        <location filename="../../ui/screens/history.py" line="80"/>
        <source>balance %1</source>
        <translation>balance %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="86"/>
        <source>Nothing here yet.</source>
        <translation>Nothing here yet.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="89"/>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="91"/>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="92"/>
        <source>Earned</source>
        <translation>Earned</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="93"/>
        <source>Spent</source>
        <translation>Spent</translation>
    </message>
    <message>
        <location filename="../../ui/screens/history.py" line="94"/>
        <source>Expired</source>
        <translation>Expired</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <location filename="../../ui/screens/home.py" line="66"/>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="67"/>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="68"/>
        <source>My orders</source>
        <translation>My orders</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="69"/>
        <source>How to earn</source>
        <translation>How to earn</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="70"/>
        <source>Your points</source>
        <translation>Your points</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="74"/>
        <source>Hello, %1</source>
        <translation>Hello, %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="77"/>
        <source>%1 points held by orders waiting for HR</source>
        <translation>%1 points held by orders waiting for HR</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="87"/>
        <source>%1 points expire within 60 days (first on %2)</source>
        <translation>%1 points expire within 60 days (first on %2)</translation>
    </message>
</context>
<context>
    <name>ItemScreen</name>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="184"/>
        <source>Redeem</source>
        <translation>Redeem</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="189"/>
        <source>%1 points each</source>
        <translation>%1 points each</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="191"/>
        <source>%1 in stock</source>
        <translation>%1 in stock</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="198"/>
        <source>HR confirms every order; the points are held until then.</source>
        <translation>HR confirms every order; the points are held until then.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="202"/>
        <source>At most %1 per person a %2.</source>
        <translation>At most %1 per person a %2.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="209"/>
        <source>Total: %1 points</source>
        <translation>Total: %1 points</translation>
    </message>
    <message>
        <location filename="../../ui/screens/catalogue.py" line="214"/>
        <source>%1 more points needed</source>
        <translation>%1 more points needed</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="210"/>
        <source>Home</source>
        <translation>Home</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="211"/>
        <source>Not me / log out</source>
        <translation>Not me / log out</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="243"/>
        <source>Sorry, something went wrong. Restarting…</source>
        <translation>Sorry, something went wrong. Restarting…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="288"/>
        <source>Please give a server address (http:// or https://) and the code.</source>
        <translation>Please give a server address (http:// or https://) and the code.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="290"/>
        <source>This code is wrong, expired or already used. Ask IT for a new one.</source>
        <translation>This code is wrong, expired or already used. Ask IT for a new one.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="292"/>
        <source>The server&apos;s certificate is not trusted. Check the address or the CA bundle.</source>
        <translation>The server&apos;s certificate is not trusted. Check the address or the CA bundle.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="294"/>
        <source>The server cannot be reached. Check the address and the network.</source>
        <translation>The server cannot be reached. Check the address and the network.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="296"/>
        <source>The server refused the enrolment.</source>
        <translation>The server refused the enrolment.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="299"/>
        <source>Enrolled as %1</source>
        <translation>Enrolled as %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="312"/>
        <source>This is not an enrolment code.</source>
        <translation>This is not an enrolment code.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="335"/>
        <source>Unknown employee number.</source>
        <translation>Unknown employee number.</translation>
    </message>
</context>
<context>
    <name>MaintenanceScreen</name>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="62"/>
        <source>Kiosk maintenance</source>
        <translation>Kiosk maintenance</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="64"/>
        <source>Kiosk name</source>
        <translation>Kiosk name</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="65"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="66"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="67"/>
        <source>Connection</source>
        <translation>Connection</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="68"/>
        <source>Last sync</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="69"/>
        <source>Orders waiting to be sent</source>
        <translation>Orders waiting to be sent</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="70"/>
        <source>Last error</source>
        <translation>Last error</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="76"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="77"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="78"/>
        <source>Disabled by IT</source>
        <translation>Disabled by IT</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="79"/>
        <source>Not synced yet</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="82"/>
        <source>Not enrolled</source>
        <translation>Not enrolled</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="94"/>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="95"/>
        <source>Exit full screen</source>
        <translation>Exit full screen</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="96"/>
        <source>Enrol again</source>
        <translation>Enrol again</translation>
    </message>
    <message>
        <location filename="../../ui/screens/maintenance.py" line="97"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/texts.py" line="25"/>
        <source>Wrong PIN. Attempts left: %1</source>
        <translation>Wrong PIN. Attempts left: %1</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="30"/>
        <source>Too many wrong PINs. Try again in %1 seconds.</source>
        <translation>Too many wrong PINs. Try again in %1 seconds.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="34"/>
        <source>This is not a badge we know. Please scan your work badge.</source>
        <translation>This is not a badge we know. Please scan your work badge.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="37"/>
        <source>This badge is not valid here. Please ask HR.</source>
        <translation>This badge is not valid here. Please ask HR.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="40"/>
        <location filename="../../ui/texts.py" line="107"/>
        <source>This kiosk is not set up yet. Please call IT.</source>
        <translation>This kiosk is not set up yet. Please call IT.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="43"/>
        <source>This badge has been cancelled. Please ask HR for a new one.</source>
        <translation>This badge has been cancelled. Please ask HR for a new one.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="46"/>
        <source>This card is not registered. Please ask HR.</source>
        <translation>This card is not registered. Please ask HR.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="49"/>
        <source>We do not know this employee yet. Please try again later or ask HR.</source>
        <translation>We do not know this employee yet. Please try again later or ask HR.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="52"/>
        <location filename="../../ui/texts.py" line="80"/>
        <source>This account is not active. Please ask HR.</source>
        <translation>This account is not active. Please ask HR.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="55"/>
        <source>No PIN is set for this employee. Please use your badge.</source>
        <translation>No PIN is set for this employee. Please use your badge.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="67"/>
        <source>You need %1 more points for this.</source>
        <translation>You need %1 more points for this.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="71"/>
        <source>This item is no longer in the catalogue.</source>
        <translation>This item is no longer in the catalogue.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="74"/>
        <source>This item is no longer offered.</source>
        <translation>This item is no longer offered.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="77"/>
        <source>Please choose a quantity from 1 to 99.</source>
        <translation>Please choose a quantity from 1 to 99.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="84"/>
        <source>Sorry, not enough of this item is left.</source>
        <translation>Sorry, not enough of this item is left.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="87"/>
        <source>You have reached the limit for this item in this period.</source>
        <translation>You have reached the limit for this item in this period.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="90"/>
        <source>Please enter your PIN to confirm this order.</source>
        <translation>Please enter your PIN to confirm this order.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="93"/>
        <source>The kiosk is offline: orders above %1 points must wait until it reconnects.</source>
        <translation>The kiosk is offline: orders above %1 points must wait until it reconnects.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="97"/>
        <source>The kiosk is offline: you can spend %1 more points until it reconnects.</source>
        <translation>The kiosk is offline: you can spend %1 more points until it reconnects.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="100"/>
        <source>The kiosk is offline and has reached its limit. Please try again later.</source>
        <translation>The kiosk is offline and has reached its limit. Please try again later.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="103"/>
        <source>The kiosk has been offline too long to take orders. Please try again later.</source>
        <translation>The kiosk has been offline too long to take orders. Please try again later.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="110"/>
        <source>This kiosk has been disabled. Please use another one.</source>
        <translation>This kiosk has been disabled. Please use another one.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="113"/>
        <source>This order was not found.</source>
        <translation>This order was not found.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="114"/>
        <source>This order can no longer be cancelled.</source>
        <translation>This order can no longer be cancelled.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="123"/>
        <source>Queued offline</source>
        <translation>Queued offline</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="125"/>
        <source>Sending</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="128"/>
        <source>Waiting for HR</source>
        <translation>Waiting for HR</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="129"/>
        <source>Approved</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="130"/>
        <source>Fulfilled</source>
        <translation>Fulfilled</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="131"/>
        <source>Rejected</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="132"/>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="141"/>
        <source>not enough points</source>
        <translation>not enough points</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="142"/>
        <source>out of stock</source>
        <translation>out of stock</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="143"/>
        <source>limit reached</source>
        <translation>limit reached</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="144"/>
        <source>the price changed</source>
        <translation>the price changed</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="145"/>
        <source>no longer offered</source>
        <translation>no longer offered</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="146"/>
        <source>account not active</source>
        <translation>account not active</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="153"/>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="154"/>
        <source>Goods</source>
        <translation>Goods</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="155"/>
        <source>Rights</source>
        <translation>Rights</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="156"/>
        <source>Services</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="163"/>
        <source>month</source>
        <translation>month</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="164"/>
        <source>quarter</source>
        <translation>quarter</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="165"/>
        <source>year</source>
        <translation>year</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="171"/>
        <source>Earned</source>
        <translation>Earned</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="172"/>
        <source>Redeemed</source>
        <translation>Redeemed</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="173"/>
        <source>Refunded</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="174"/>
        <source>Expired</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="175"/>
        <source>Adjustment</source>
        <translation>Adjustment</translation>
    </message>
</context>
<context>
    <name>OrdersScreen</name>
    <message>
        <location filename="../../ui/screens/orders.py" line="66"/>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="73"/>
        <source>%1 pts</source>
        <translation>%1 pts</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="78"/>
        <source>No orders yet.</source>
        <translation>No orders yet.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="92"/>
        <source>Cancel this order? The points come back to you.</source>
        <translation>Cancel this order? The points come back to you.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="106"/>
        <source>My orders</source>
        <translation>My orders</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="107"/>
        <source>Cancel order</source>
        <translation>Cancel order</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="108"/>
        <source>Yes, cancel it</source>
        <translation>Yes, cancel it</translation>
    </message>
    <message>
        <location filename="../../ui/screens/orders.py" line="109"/>
        <source>No, keep it</source>
        <translation>No, keep it</translation>
    </message>
</context>
<context>
    <name>PinScreen</name>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="114"/>
        <source>Enter your employee number</source>
        <translation>Enter your employee number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="115"/>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="117"/>
        <source>Enter your PIN</source>
        <translation>Enter your PIN</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="118"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_pad.py" line="119"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SetupScreen</name>
    <message>
        <location filename="../../ui/screens/setup.py" line="123"/>
        <source>Contacting the server…</source>
        <translation>Contacting the server…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="130"/>
        <source>Set up this kiosk</source>
        <translation>Set up this kiosk</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="133"/>
        <source>Scan the enrolment QR code from IT, or type the server address and the one-time code.</source>
        <translation>Scan the enrolment QR code from IT, or type the server address and the one-time code.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="139"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="139"/>
        <source>Enrolment code</source>
        <translation>Enrolment code</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="139"/>
        <source>Kiosk name</source>
        <translation>Kiosk name</translation>
    </message>
    <message>
        <location filename="../../ui/screens/setup.py" line="143"/>
        <source>Enrol</source>
        <translation>Enrol</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../../ui/screens/welcome.py" line="63"/>
        <source>Scan your badge</source>
        <translation>Scan your badge</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="64"/>
        <source>Hold your badge or card to the reader to see your points.</source>
        <translation>Hold your badge or card to the reader to see your points.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="65"/>
        <source>Use PIN</source>
        <translation>Use PIN</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="77"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="79"/>
        <source>This kiosk has been disabled</source>
        <translation>This kiosk has been disabled</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="82"/>
        <source>Offline since %1</source>
        <translation>Offline since %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="84"/>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="87"/>
        <source>last sync %1</source>
        <translation>last sync %1</translation>
    </message>
</context>
</TS>
