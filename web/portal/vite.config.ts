// The portal, served by patrond at /portal/ (how every page is bundled: common/vite_site.ts).
import {siteConfig} from '../common/vite_site.ts';

export default siteConfig('portal');
