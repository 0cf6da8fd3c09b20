/** The host's message catalogue (doctor and command-line text), zh-TW first, English second. */
export type Locale = 'zh-TW' | 'en';

export const HOST_MESSAGES = {
  'doctor.title': { 'zh-TW': '卡橋環境檢查', en: 'CardBridge environment check' },
  'doctor.version': { 'zh-TW': '卡橋元件版本', en: 'CardBridge component version' },
  'doctor.allGood': { 'zh-TW': '一切正常，可以使用。', en: 'Everything is ready.' },
  'doctor.problems': { 'zh-TW': '發現需要處理的問題：', en: 'Problems to fix:' },
  'doctor.fix': { 'zh-TW': '解決方法', en: 'How to fix' },
  'doctor.ok': { 'zh-TW': '正常', en: 'OK' },
  'doctor.warning': { 'zh-TW': '注意', en: 'Warning' },
  'doctor.error': { 'zh-TW': '錯誤', en: 'Error' },
  'check.pcscLibrary': { 'zh-TW': '智慧卡程式庫 (PC/SC)', en: 'Smart-card library (PC/SC)' },
  'check.pcscLibrary.missing': {
    'zh-TW': '電腦上沒有安裝智慧卡程式庫。',
    en: 'The smart-card library is not installed.',
  },
  'check.pcscService': { 'zh-TW': '智慧卡服務', en: 'Smart-card service' },
  'check.pcscService.down': { 'zh-TW': '智慧卡服務沒有執行。', en: 'The smart-card service is not running.' },
  'check.readers': { 'zh-TW': '讀卡機', en: 'Card readers' },
  'check.readers.none': { 'zh-TW': '找不到任何讀卡機。', en: 'No card reader was found.' },
  'check.cards': { 'zh-TW': '卡片', en: 'Cards' },
  'check.cards.none': { 'zh-TW': '讀卡機內都沒有卡片。', en: 'No reader holds a card.' },
  'check.card.unknown': {
    'zh-TW': '讀卡機內的卡片不是健保卡，也不是已知的憑證卡。',
    en: 'The card is neither an NHI card nor a known certificate card.',
  },
  'check.tokens': { 'zh-TW': '憑證元件', en: 'Certificate components' },
  'check.tokens.module': {
    'zh-TW': '無法載入憑證卡的 PKCS#11 元件。',
    en: 'A certificate card PKCS#11 module cannot be loaded.',
  },
  'check.tokens.file': { 'zh-TW': '無法讀取憑證檔。', en: 'A certificate file cannot be read.' },
  'fix.tokenModule': {
    'zh-TW': '請重新安裝憑證卡廠商的元件（HiCOS 卡片管理工具），或修正設定檔中的元件路徑。',
    en: "Reinstall the card vendor's software (HiCOS), or correct the module path in the config file.",
  },
  'fix.tokenFile': {
    'zh-TW': '請確認憑證檔（.p12/.pfx）存在且路徑正確。',
    en: 'Check that the certificate file (.p12/.pfx) exists and its path is right.',
  },
  'reader.empty': { 'zh-TW': '（沒有卡片）', en: '(no card)' },
  'card.nhi': { 'zh-TW': '健保卡', en: 'NHI card' },
  'card.pki': { 'zh-TW': '憑證卡', en: 'certificate card' },
  'card.unknown': { 'zh-TW': '無法辨識的卡片', en: 'unknown card' },
  'fix.installPackages.linux': {
    'zh-TW': '請資訊人員安裝：sudo apt-get install pcscd libpcsclite1',
    en: 'Ask IT to install: sudo apt-get install pcscd libpcsclite1',
  },
  'fix.installPackages.other': {
    'zh-TW': '請重新安裝卡橋元件。',
    en: 'Please reinstall the CardBridge component.',
  },
  'fix.startService.win32': {
    'zh-TW':
      '插上讀卡機後 Windows 會自動啟動「Smart Card」服務；若仍未啟動，請資訊人員執行：sc start SCardSvr',
    en: 'Windows starts the "Smart Card" service when a reader is plugged in; if it does not, ask IT to run: sc start SCardSvr',
  },
  'fix.startService.darwin': {
    'zh-TW': '請拔下讀卡機再插上；macOS 會自動啟動智慧卡服務。',
    en: 'Unplug the reader and plug it in again; macOS starts the smart-card service by itself.',
  },
  'fix.startService.linux': {
    'zh-TW': '請啟動 pcscd：sudo systemctl enable --now pcscd.socket',
    en: 'Start pcscd: sudo systemctl enable --now pcscd.socket',
  },
  'fix.plugReader': {
    'zh-TW': '請將讀卡機插上電腦的 USB 埠，稍待幾秒。',
    en: 'Plug the card reader into a USB port and wait a few seconds.',
  },
  'fix.insertCard': {
    'zh-TW': '請將健保卡或憑證卡晶片朝上插入讀卡機。',
    en: 'Insert the NHI card or certificate card into the reader, chip first.',
  },
  'fix.otherCard': {
    'zh-TW': '請確認插入的是健保卡或自然人／工商／政府／組織憑證卡；若是，請取出重新插入。',
    en: 'Check that the card is an NHI card or a MOICA/MOEACA/GCA/XCA certificate card; if it is, reinsert it.',
  },
  'doctor.warnings': {
    'zh-TW': '可以使用，但請先看上面的注意事項。',
    en: 'Usable, but see the warnings above.',
  },
  'check.browser': { 'zh-TW': '瀏覽器登錄', en: 'Browser registration' },
  'check.browser.absent': {
    'zh-TW': '卡橋元件沒有為這個瀏覽器登錄。',
    en: 'The CardBridge component is not registered for this browser.',
  },
  'check.browser.elsewhere': {
    'zh-TW': '這個瀏覽器登錄的是另一個卡橋元件。',
    en: 'This browser is registered to start another CardBridge binary.',
  },
  'check.browser.broken': {
    'zh-TW': '這個瀏覽器的卡橋元件登錄資料損壞，或指向不存在的元件。',
    en: "This browser's registration is damaged or names a missing binary.",
  },
  'check.browser.sandboxed': {
    'zh-TW': '這個瀏覽器以 Snap 或 Flatpak 安裝，無法啟動卡橋元件。',
    en: 'This browser is installed as a Snap or Flatpak and cannot start the CardBridge component.',
  },
  'fix.registerHost': {
    'zh-TW':
      '請執行 cardbridge-host install（為所有使用者：請資訊人員執行 cardbridge-host install --scope system）。',
    en: 'Run cardbridge-host install (for every user: ask IT to run cardbridge-host install --scope system).',
  },
  'fix.sandboxedBrowser': {
    'zh-TW': '請改用這個瀏覽器的一般安裝版（.deb、.rpm 或官方安裝程式）。',
    en: "Install the browser's regular package instead (.deb, .rpm or the vendor's installer).",
  },
  'cli.usage': {
    'zh-TW':
      '用法：cardbridge-host [doctor [--json] [--lang zh-TW|en] | install | uninstall | status [--browser chrome,edge,chromium,firefox,brave] [--scope user|system] [--json] [--lang zh-TW|en] | --version]\n由瀏覽器啟動時提供原生訊息服務。',
    en: 'Usage: cardbridge-host [doctor [--json] [--lang zh-TW|en] | install | uninstall | status [--browser chrome,edge,chromium,firefox,brave] [--scope user|system] [--json] [--lang zh-TW|en] | --version]\nServes native messaging when started by a browser.',
  },
  'cli.badOption': {
    'zh-TW': '不認得的選項或缺少選項的值：',
    en: 'Unknown option, or an option without its value:',
  },
  'cli.notInstalledBinary': {
    'zh-TW': '這不是安裝好的卡橋元件執行檔：請以 --host-path 指定瀏覽器要啟動的元件路徑。',
    en: 'This is not the installed CardBridge binary: give the path browsers should start with --host-path.',
  },
  'registration.title.user': {
    'zh-TW': '卡橋元件登錄（目前使用者）',
    en: 'CardBridge registration (this user)',
  },
  'registration.title.system': {
    'zh-TW': '卡橋元件登錄（所有使用者）',
    en: 'CardBridge registration (every user)',
  },
  'registration.written': { 'zh-TW': '已登錄', en: 'registered' },
  'registration.unchanged': { 'zh-TW': '已登錄（沒有變更）', en: 'already registered (unchanged)' },
  'registration.kept': { 'zh-TW': '保留其他安裝的登錄', en: "kept another installation's registration" },
  'registration.removed': { 'zh-TW': '已移除登錄', en: 'registration removed' },
  'registration.registered': { 'zh-TW': '已登錄', en: 'registered' },
  'registration.elsewhere': {
    'zh-TW': '已登錄，但指向另一個卡橋元件',
    en: 'registered, but for another CardBridge binary',
  },
  'registration.broken': {
    'zh-TW': '登錄資料損壞，或指向的元件不存在；請重新執行 install',
    en: 'the registration is damaged or names a missing binary; run install again',
  },
  'registration.absent': { 'zh-TW': '未登錄', en: 'not registered' },
  'registration.unsupported': {
    'zh-TW': '這個瀏覽器沒有公開的登錄位置，略過',
    en: 'this browser documents no place for this scope; skipped',
  },
  'registration.sandboxed': {
    'zh-TW': '以 Snap 或 Flatpak 安裝的瀏覽器無法啟動卡橋元件；請改用一般安裝版（見 installers/README.md）',
    en: 'a browser installed as a Snap or Flatpak cannot start the CardBridge component; install its regular package (see installers/README.md)',
  },
  'registration.summary.ok': { 'zh-TW': '所有瀏覽器都已登錄。', en: 'Every browser is registered.' },
  'registration.summary.removed': {
    'zh-TW': '已從所有瀏覽器移除登錄。',
    en: 'The registration is removed from every browser.',
  },
  'registration.summary.notAll': {
    'zh-TW': '有瀏覽器尚未登錄或需要處理。',
    en: 'Some browsers are not registered or need attention.',
  },
} as const;

export type MessageKey = keyof typeof HOST_MESSAGES;

export function t(locale: Locale, key: MessageKey): string {
  return HOST_MESSAGES[key][locale];
}

/** zh-TW unless the environment asks for English. */
export function detectLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const lang = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^en/i.test(lang) ? 'en' : 'zh-TW';
}
