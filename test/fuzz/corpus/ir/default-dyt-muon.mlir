module attributes {nf.model = "dyt-muon"} {
  nf.param @embed.tokens : tensor<256x128xf32> init <normal(2.000000e-02)> group <embedding> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @embed.scale : tensor<f32> init <constant(11.313708498984761)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn_norm.alpha : tensor<f32> init <constant(8.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.ffn_norm.alpha : tensor<f32> init <constant(2.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn_norm.alpha : tensor<f32> init <constant(8.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.ffn_norm.alpha : tensor<f32> init <constant(2.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.attn_norm.alpha : tensor<f32> init <constant(8.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.ffn_norm.alpha : tensor<f32> init <constant(2.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.attn_norm.alpha : tensor<f32> init <constant(8.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.ffn_norm.alpha : tensor<f32> init <constant(2.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @final_norm.alpha : tensor<f32> init <constant(2.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @final_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  func.func @forward(%arg0: tensor<16x128xi32> {nf.name = "tokens"}, %arg1: tensor<16x128xi32> {nf.name = "targets"}) -> tensor<f32> {
    %0 = nf.get_param @embed.tokens : tensor<256x128xf32>
    %1 = nf.embedding %arg0, %0 : tensor<16x128xi32>, tensor<256x128xf32> -> tensor<16x128x128xf32>
    %2 = nf.get_param @embed.scale : tensor<f32>
    %3 = nf.mul %1, %2 : tensor<16x128x128xf32>, tensor<f32>
    %4 = nf.get_param @layers.0.attn_norm.alpha : tensor<f32>
    %5 = nf.dyt %3, %4 : tensor<16x128x128xf32>, tensor<f32>
    %6 = nf.get_param @layers.0.attn_norm.scale : tensor<128xf32>
    %7 = nf.scale %5, %6 : tensor<16x128x128xf32>, tensor<128xf32>
    %8 = nf.get_param @layers.0.attn.wq : tensor<128x128xf32>
    %9 = nf.linear %7, %8 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %10 = nf.split_heads %9 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %11 = nf.get_param @layers.0.attn.wk : tensor<128x128xf32>
    %12 = nf.linear %7, %11 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %13 = nf.split_heads %12 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %14 = nf.get_param @layers.0.attn.wv : tensor<128x128xf32>
    %15 = nf.linear %7, %14 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %16 = nf.split_heads %15 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %17 = nf.attention %10, %13, %16 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %18 = nf.merge_heads %17 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %19 = nf.get_param @layers.0.attn.wo : tensor<128x128xf32>
    %20 = nf.linear %18, %19 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %21 = nf.add %3, %20 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %22 = nf.get_param @layers.0.ffn_norm.alpha : tensor<f32>
    %23 = nf.dyt %21, %22 : tensor<16x128x128xf32>, tensor<f32>
    %24 = nf.get_param @layers.0.ffn_norm.scale : tensor<128xf32>
    %25 = nf.scale %23, %24 : tensor<16x128x128xf32>, tensor<128xf32>
    %26 = nf.get_param @layers.0.ffn.w_up : tensor<512x128xf32>
    %27 = nf.linear %25, %26 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %28 = nf.gelu %27 : tensor<16x128x512xf32>
    %29 = nf.get_param @layers.0.ffn.w_down : tensor<128x512xf32>
    %30 = nf.linear %28, %29 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %31 = nf.add %21, %30 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %32 = nf.get_param @layers.1.attn_norm.alpha : tensor<f32>
    %33 = nf.dyt %31, %32 : tensor<16x128x128xf32>, tensor<f32>
    %34 = nf.get_param @layers.1.attn_norm.scale : tensor<128xf32>
    %35 = nf.scale %33, %34 : tensor<16x128x128xf32>, tensor<128xf32>
    %36 = nf.get_param @layers.1.attn.wq : tensor<128x128xf32>
    %37 = nf.linear %35, %36 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %38 = nf.split_heads %37 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %39 = nf.get_param @layers.1.attn.wk : tensor<128x128xf32>
    %40 = nf.linear %35, %39 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %41 = nf.split_heads %40 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %42 = nf.get_param @layers.1.attn.wv : tensor<128x128xf32>
    %43 = nf.linear %35, %42 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %44 = nf.split_heads %43 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %45 = nf.attention %38, %41, %44 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %46 = nf.merge_heads %45 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %47 = nf.get_param @layers.1.attn.wo : tensor<128x128xf32>
    %48 = nf.linear %46, %47 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %49 = nf.add %31, %48 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %50 = nf.get_param @layers.1.ffn_norm.alpha : tensor<f32>
    %51 = nf.dyt %49, %50 : tensor<16x128x128xf32>, tensor<f32>
    %52 = nf.get_param @layers.1.ffn_norm.scale : tensor<128xf32>
    %53 = nf.scale %51, %52 : tensor<16x128x128xf32>, tensor<128xf32>
    %54 = nf.get_param @layers.1.ffn.w_up : tensor<512x128xf32>
    %55 = nf.linear %53, %54 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %56 = nf.gelu %55 : tensor<16x128x512xf32>
    %57 = nf.get_param @layers.1.ffn.w_down : tensor<128x512xf32>
    %58 = nf.linear %56, %57 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %59 = nf.add %49, %58 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %60 = nf.get_param @layers.2.attn_norm.alpha : tensor<f32>
    %61 = nf.dyt %59, %60 : tensor<16x128x128xf32>, tensor<f32>
    %62 = nf.get_param @layers.2.attn_norm.scale : tensor<128xf32>
    %63 = nf.scale %61, %62 : tensor<16x128x128xf32>, tensor<128xf32>
    %64 = nf.get_param @layers.2.attn.wq : tensor<128x128xf32>
    %65 = nf.linear %63, %64 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %66 = nf.split_heads %65 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %67 = nf.get_param @layers.2.attn.wk : tensor<128x128xf32>
    %68 = nf.linear %63, %67 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %69 = nf.split_heads %68 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %70 = nf.get_param @layers.2.attn.wv : tensor<128x128xf32>
    %71 = nf.linear %63, %70 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %72 = nf.split_heads %71 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %73 = nf.attention %66, %69, %72 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %74 = nf.merge_heads %73 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %75 = nf.get_param @layers.2.attn.wo : tensor<128x128xf32>
    %76 = nf.linear %74, %75 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %77 = nf.add %59, %76 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %78 = nf.get_param @layers.2.ffn_norm.alpha : tensor<f32>
    %79 = nf.dyt %77, %78 : tensor<16x128x128xf32>, tensor<f32>
    %80 = nf.get_param @layers.2.ffn_norm.scale : tensor<128xf32>
    %81 = nf.scale %79, %80 : tensor<16x128x128xf32>, tensor<128xf32>
    %82 = nf.get_param @layers.2.ffn.w_up : tensor<512x128xf32>
    %83 = nf.linear %81, %82 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %84 = nf.gelu %83 : tensor<16x128x512xf32>
    %85 = nf.get_param @layers.2.ffn.w_down : tensor<128x512xf32>
    %86 = nf.linear %84, %85 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %87 = nf.add %77, %86 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %88 = nf.get_param @layers.3.attn_norm.alpha : tensor<f32>
    %89 = nf.dyt %87, %88 : tensor<16x128x128xf32>, tensor<f32>
    %90 = nf.get_param @layers.3.attn_norm.scale : tensor<128xf32>
    %91 = nf.scale %89, %90 : tensor<16x128x128xf32>, tensor<128xf32>
    %92 = nf.get_param @layers.3.attn.wq : tensor<128x128xf32>
    %93 = nf.linear %91, %92 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %94 = nf.split_heads %93 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %95 = nf.get_param @layers.3.attn.wk : tensor<128x128xf32>
    %96 = nf.linear %91, %95 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %97 = nf.split_heads %96 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %98 = nf.get_param @layers.3.attn.wv : tensor<128x128xf32>
    %99 = nf.linear %91, %98 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %100 = nf.split_heads %99 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %101 = nf.attention %94, %97, %100 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %102 = nf.merge_heads %101 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %103 = nf.get_param @layers.3.attn.wo : tensor<128x128xf32>
    %104 = nf.linear %102, %103 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %105 = nf.add %87, %104 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %106 = nf.get_param @layers.3.ffn_norm.alpha : tensor<f32>
    %107 = nf.dyt %105, %106 : tensor<16x128x128xf32>, tensor<f32>
    %108 = nf.get_param @layers.3.ffn_norm.scale : tensor<128xf32>
    %109 = nf.scale %107, %108 : tensor<16x128x128xf32>, tensor<128xf32>
    %110 = nf.get_param @layers.3.ffn.w_up : tensor<512x128xf32>
    %111 = nf.linear %109, %110 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %112 = nf.gelu %111 : tensor<16x128x512xf32>
    %113 = nf.get_param @layers.3.ffn.w_down : tensor<128x512xf32>
    %114 = nf.linear %112, %113 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %115 = nf.add %105, %114 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %116 = nf.get_param @final_norm.alpha : tensor<f32>
    %117 = nf.dyt %115, %116 : tensor<16x128x128xf32>, tensor<f32>
    %118 = nf.get_param @final_norm.scale : tensor<128xf32>
    %119 = nf.scale %117, %118 : tensor<16x128x128xf32>, tensor<128xf32>
    %120 = nf.linear %119, %0 : tensor<16x128x128xf32>, tensor<256x128xf32> -> tensor<16x128x256xf32>
    %121 = nf.cross_entropy %120, %arg1 : tensor<16x128x256xf32>, tensor<16x128xi32> -> tensor<f32>
    return %121 : tensor<f32>
  }
}

