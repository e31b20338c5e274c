// The staff console, served by patrond at /console/ (how every page is bundled: common/vite_site.ts).
import {siteConfig} from '../common/vite_site.ts';

export default siteConfig('console');
